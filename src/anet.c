/**
 * @file anet.c
 * @brief Socket helpers: listen, accept, connect, socket options, names.
 *
 * Where it sits: the first and last code a connection meets.
 *   listen:  initServer() -> anetTcpServer(err, 6379, "127.0.0.1", 511)
 *   accept:  acceptTcpHandler() -> anetTcpAccept() gives fd 9 and
 *            "127.0.0.1":52344
 *   setup:   createClient() -> anetNonBlock(), anetEnableTcpNoDelay(),
 *            anetKeepAlive(err, fd, 300)
 *   names:   CLIENT LIST's "addr=127.0.0.1:52344" -> anetFormatPeer()
 * Every function fills the caller's err buffer (ANET_ERR_LEN = 256 bytes)
 * on failure, so the server can log "Could not create server TCP
 * listening socket 127.0.0.1:6379: bind: Address already in use".
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <fcntl.h>
#include <string.h>
#include <netdb.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "anet.h"

/**
 * @brief printf into the caller's error buffer, if one was given.
 * @param err Buffer of ANET_ERR_LEN bytes, or NULL.
 * @param fmt printf format.
 * @param ... Arguments.
 *
 * Called by: every function here on failure.
 */
static void anetSetError(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void anetSetError(char *err, const char *fmt, ...)
{
    va_list ap;

    if (!err) return;
    va_start(ap, fmt);
    vsnprintf(err, ANET_ERR_LEN, fmt, ap);
    va_end(ap);
}

/* ---------------------------- Socket options ---------------------------- */

/**
 * @brief Set or clear O_NONBLOCK on @p fd.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @param non_block 1 for non-blocking, 0 for blocking.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: anetNonBlock(), anetBlock().
 */
static int anetSetBlock(char *err, int fd, int non_block) {
    int flags;

    /* Read-modify-write so other flags (O_APPEND...) survive. */
    if ((flags = fcntl(fd, F_GETFL)) == -1) {
        anetSetError(err, "fcntl(F_GETFL): %s", strerror(errno));
        return ANET_ERR;
    }
    if (non_block)
        flags |= O_NONBLOCK;
    else
        flags &= ~O_NONBLOCK;
    if (fcntl(fd, F_SETFL, flags) == -1) {
        anetSetError(err, "fcntl(F_SETFL,O_NONBLOCK): %s", strerror(errno));
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief Make @p fd non-blocking.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * A single-threaded server must never block in read()/write(): with
 * O_NONBLOCK, read() on an idle client returns -1/EAGAIN instead of
 * stalling every other client.
 * Called by: createClient(), listening socket setup.
 */
int anetNonBlock(char *err, int fd) {
    return anetSetBlock(err,fd,1);
}

/**
 * @brief Make @p fd blocking again.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: code switching to synchronous I/O (replication handshake).
 */
int anetBlock(char *err, int fd) {
    return anetSetBlock(err,fd,0);
}

/**
 * @brief Enable TCP keepalive and, on Linux, tune it to @p interval seconds.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @param interval Seconds of idleness before the first probe (300 by
 *        default in redis.conf "tcp-keepalive 300").
 * @return ANET_OK or ANET_ERR.
 *
 * Linux defaults wait 2 hours before probing. Here: first probe after
 * interval s, then every interval/3 s, and 3 unanswered probes declare
 * the peer dead, so a vanished client is detected in about 2*interval.
 * Called by: createClient() when server.tcpkeepalive is set.
 */
int anetKeepAlive(char *err, int fd, int interval)
{
    int val = 1;

    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &val, sizeof(val)) == -1)
    {
        anetSetError(err, "setsockopt SO_KEEPALIVE: %s", strerror(errno));
        return ANET_ERR;
    }

#ifdef __linux__
    val = interval;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &val, sizeof(val)) < 0) {
        anetSetError(err, "setsockopt TCP_KEEPIDLE: %s\n", strerror(errno));
        return ANET_ERR;
    }

    val = interval/3;
    if (val == 0) val = 1; /* 0 is invalid for TCP_KEEPINTVL */
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &val, sizeof(val)) < 0) {
        anetSetError(err, "setsockopt TCP_KEEPINTVL: %s\n", strerror(errno));
        return ANET_ERR;
    }

    val = 3;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &val, sizeof(val)) < 0) {
        anetSetError(err, "setsockopt TCP_KEEPCNT: %s\n", strerror(errno));
        return ANET_ERR;
    }
#else
    ((void) interval); /* only the Linux options use it */
#endif

    return ANET_OK;
}

/**
 * @brief Set TCP_NODELAY to @p val.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @param val 1 to disable Nagle's algorithm, 0 to enable it.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: anetEnableTcpNoDelay(), anetDisableTcpNoDelay().
 */
static int anetSetTcpNoDelay(char *err, int fd, int val)
{
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &val, sizeof(val)) == -1)
    {
        anetSetError(err, "setsockopt TCP_NODELAY: %s", strerror(errno));
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief Disable Nagle: send small replies like "+OK\r\n" immediately.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * With Nagle on, a 5-byte reply could sit up to 40 ms waiting for the
 * client's delayed ACK; request/response latency would suffer badly.
 * Called by: createClient().
 */
int anetEnableTcpNoDelay(char *err, int fd)
{
    return anetSetTcpNoDelay(err, fd, 1);
}

/**
 * @brief Re-enable Nagle's algorithm.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: replication ("repl-disable-tcp-nodelay yes").
 */
int anetDisableTcpNoDelay(char *err, int fd)
{
    return anetSetTcpNoDelay(err, fd, 0);
}

/**
 * @brief Turn on SO_KEEPALIVE with the system's default timings.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: client tools; the server uses anetKeepAlive().
 */
int anetTcpKeepAlive(char *err, int fd)
{
    int yes = 1;

    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes)) == -1) {
        anetSetError(err, "setsockopt SO_KEEPALIVE: %s", strerror(errno));
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief Bound blocking send() calls to @p ms milliseconds (0 = no limit).
 * @param err Error buffer.
 * @param fd Descriptor.
 * @param ms Timeout in milliseconds.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: synchronous replication code.
 */
int anetSendTimeout(char *err, int fd, long long ms) {
    struct timeval tv;

    tv.tv_sec = ms/1000;
    tv.tv_usec = (ms%1000)*1000;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1) {
        anetSetError(err, "setsockopt SO_SNDTIMEO: %s", strerror(errno));
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief Set SO_REUSEADDR.
 * @param err Error buffer.
 * @param fd Descriptor.
 * @return ANET_OK or ANET_ERR.
 *
 * Without it, restarting the server fails with "Address already in use"
 * for as long as old connections linger in TIME_WAIT (up to 60 s on Linux),
 * and a benchmark opening thousands of connections runs out of ports.
 * Called by: anetCreateSocket(), _anetTcpServer(), anetTcpGenericConnect().
 */
static int anetSetReuseAddr(char *err, int fd) {
    int yes = 1;

    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) == -1) {
        anetSetError(err, "setsockopt SO_REUSEADDR: %s", strerror(errno));
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief socket() + SO_REUSEADDR.
 * @param err Error buffer.
 * @param domain AF_INET, AF_INET6 or AF_LOCAL.
 * @return The fd, or ANET_ERR.
 *
 * Called by: anetUnixServer(), anetUnixGenericConnect().
 */
static int anetCreateSocket(char *err, int domain) {
    int s;

    if ((s = socket(domain, SOCK_STREAM, 0)) == -1) {
        anetSetError(err, "creating socket: %s", strerror(errno));
        return ANET_ERR;
    }
    if (anetSetReuseAddr(err,s) == ANET_ERR) {
        close(s);
        return ANET_ERR;
    }
    return s;
}

/* ---------------------------- Name resolution ---------------------------- */

/**
 * @brief Resolve @p host to a numeric address string.
 * @param err Error buffer.
 * @param host Host name or address.
 * @param ipbuf Output buffer.
 * @param ipbuf_len Its size.
 * @param flags ANET_IP_ONLY to refuse anything that is not already numeric.
 * @return ANET_OK or ANET_ERR (err holds gai_strerror()).
 *
 * Called by: anetResolve(), anetResolveIP().
 */
static int anetGenericResolve(char *err, char *host, char *ipbuf,
                              size_t ipbuf_len, int flags)
{
    struct addrinfo hints, *info;
    int rv;

    memset(&hints,0,sizeof(hints));
    if (flags & ANET_IP_ONLY) hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM; /* one result per address, not per protocol */

    if ((rv = getaddrinfo(host, NULL, &hints, &info)) != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    if (info->ai_family == AF_INET) {
        struct sockaddr_in *sa = (struct sockaddr_in *)info->ai_addr;
        inet_ntop(AF_INET, &(sa->sin_addr), ipbuf, ipbuf_len);
    } else {
        struct sockaddr_in6 *sa = (struct sockaddr_in6 *)info->ai_addr;
        inet_ntop(AF_INET6, &(sa->sin6_addr), ipbuf, ipbuf_len);
    }
    freeaddrinfo(info);
    return ANET_OK;
}

/**
 * @brief Resolve a host name ("localhost" -> "127.0.0.1").
 * @param err Error buffer.
 * @param host Host.
 * @param ipbuf Output buffer.
 * @param ipbuf_len Its size.
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: CLUSTER MEET-style code, tools.
 */
int anetResolve(char *err, char *host, char *ipbuf, size_t ipbuf_len) {
    return anetGenericResolve(err,host,ipbuf,ipbuf_len,ANET_NONE);
}

/**
 * @brief Validate and normalise a numeric address ("::1", "127.0.0.1").
 * @param err Error buffer.
 * @param host Address text.
 * @param ipbuf Output buffer.
 * @param ipbuf_len Its size.
 * @return ANET_OK or ANET_ERR if @p host is not numeric.
 *
 * Called by: code that must not trigger DNS lookups.
 */
int anetResolveIP(char *err, char *host, char *ipbuf, size_t ipbuf_len) {
    return anetGenericResolve(err,host,ipbuf,ipbuf_len,ANET_IP_ONLY);
}

/* ---------------------------- Connecting ---------------------------- */

#define ANET_CONNECT_NONE 0     /**< Blocking connect. */
#define ANET_CONNECT_NONBLOCK 1 /**< Return at once with EINPROGRESS allowed. */

/**
 * @brief Bind @p s to the first usable address of @p source_addr.
 * @param err Error buffer.
 * @param s Unconnected socket.
 * @param source_addr Local host or address.
 * @return ANET_OK or ANET_ERR ("bind: ..." or a resolver message).
 *
 * Called by: anetTcpGenericConnect() when a source address is given.
 */
static int anetBindSource(char *err, int s, const char *source_addr) {
    struct addrinfo hints, *info, *b;
    int rv;

    memset(&hints,0,sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((rv = getaddrinfo(source_addr, NULL, &hints, &info)) != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    for (b = info; b != NULL; b = b->ai_next) {
        if (bind(s,b->ai_addr,b->ai_addrlen) != -1) {
            freeaddrinfo(info);
            return ANET_OK;
        }
    }
    anetSetError(err, "bind: %s", strerror(errno));
    freeaddrinfo(info);
    return ANET_ERR;
}

/**
 * @brief Connect to @p addr:@p port, trying each resolved address.
 * @param err Error buffer.
 * @param addr Host or address.
 * @param port TCP port.
 * @param source_addr Local address to bind first, or NULL.
 * @param flags ANET_CONNECT_NONE or ANET_CONNECT_NONBLOCK.
 * @return Connected (or connecting) fd, or ANET_ERR.
 *
 * "localhost" may resolve to ::1 and 127.0.0.1; if the first refuses,
 * the next is tried.
 * Called by: anetTcpConnect(), anetTcpNonBlockConnect(),
 * anetTcpNonBlockBindConnect().
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's anetTcpGenericConnect() (anet.c):
 * Redis also has a "best effort binding" flag that retries without the
 * source address; minired does not need it.
 */
static int anetTcpGenericConnect(char *err, const char *addr, int port,
                                 const char *source_addr, int flags)
{
    int s = ANET_ERR, rv;
    char portstr[6];  /* "65535" plus '\0' */
    struct addrinfo hints, *servinfo, *p;

    snprintf(portstr,sizeof(portstr),"%d",port);
    memset(&hints,0,sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;

    if ((rv = getaddrinfo(addr,portstr,&hints,&servinfo)) != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    for (p = servinfo; p != NULL; p = p->ai_next) {
        /* A failed socket() or connect() moves on to the next address;
         * a failed option or bind is a hard error. */
        if ((s = socket(p->ai_family,p->ai_socktype,p->ai_protocol)) == -1)
            continue;
        if (anetSetReuseAddr(err,s) == ANET_ERR ||
            ((flags & ANET_CONNECT_NONBLOCK) && anetNonBlock(err,s) != ANET_OK) ||
            (source_addr && anetBindSource(err,s,source_addr) == ANET_ERR))
        {
            close(s);
            s = ANET_ERR;
            break;
        }
        if (connect(s,p->ai_addr,p->ai_addrlen) == 0) break; /* connected */

        /* Non-blocking: the handshake continues in the background and
         * the socket turns writable when it completes. */
        if (errno == EINPROGRESS && (flags & ANET_CONNECT_NONBLOCK)) break;
        close(s);
        s = ANET_ERR;
    }
    /* Loop ran out (no break): every address failed. Report the last
     * errno, e.g. "creating socket: Connection refused". */
    if (p == NULL)
        anetSetError(err, "creating socket: %s", strerror(errno));
    freeaddrinfo(servinfo);
    return s;
}

/**
 * @brief Blocking TCP connect.
 * @param err Error buffer.
 * @param addr Host or address.
 * @param port TCP port.
 * @return Connected fd, or ANET_ERR ("creating socket: Connection refused").
 *
 * Called by: tests, tools.
 */
int anetTcpConnect(char *err, const char *addr, int port)
{
    return anetTcpGenericConnect(err,addr,port,NULL,ANET_CONNECT_NONE);
}

/**
 * @brief Non-blocking TCP connect; completion shows up as writability.
 * @param err Error buffer.
 * @param addr Host or address.
 * @param port TCP port.
 * @return fd (possibly still connecting), or ANET_ERR.
 *
 * Called by: replication (connect to master).
 */
int anetTcpNonBlockConnect(char *err, const char *addr, int port)
{
    return anetTcpGenericConnect(err,addr,port,NULL,ANET_CONNECT_NONBLOCK);
}

/**
 * @brief Non-blocking TCP connect from a given local address.
 * @param err Error buffer.
 * @param addr Host or address.
 * @param port TCP port.
 * @param source_addr Local address to bind.
 * @return fd, or ANET_ERR.
 *
 * Called by: cluster bus code.
 */
int anetTcpNonBlockBindConnect(char *err, const char *addr, int port,
                               const char *source_addr)
{
    return anetTcpGenericConnect(err,addr,port,source_addr,
            ANET_CONNECT_NONBLOCK);
}

/**
 * @brief Connect to a unix domain socket.
 * @param err Error buffer.
 * @param path Socket path (truncated to fit sun_path, 108 bytes on Linux).
 * @param flags ANET_CONNECT_NONE or ANET_CONNECT_NONBLOCK.
 * @return fd, or ANET_ERR.
 *
 * Called by: anetUnixConnect(), anetUnixNonBlockConnect().
 */
static int anetUnixGenericConnect(char *err, const char *path, int flags)
{
    int s;
    struct sockaddr_un sa;

    if ((s = anetCreateSocket(err,AF_LOCAL)) == ANET_ERR)
        return ANET_ERR;

    memset(&sa,0,sizeof(sa));
    sa.sun_family = AF_LOCAL;
    strncpy(sa.sun_path,path,sizeof(sa.sun_path)-1);
    if (flags & ANET_CONNECT_NONBLOCK) {
        if (anetNonBlock(err,s) != ANET_OK) {
            close(s);
            return ANET_ERR;
        }
    }
    if (connect(s,(struct sockaddr*)&sa,sizeof(sa)) == -1) {
        if (errno == EINPROGRESS &&
            flags & ANET_CONNECT_NONBLOCK)
            return s;

        anetSetError(err, "connect: %s", strerror(errno));
        close(s);
        return ANET_ERR;
    }
    return s;
}

/**
 * @brief Blocking unix socket connect.
 * @param err Error buffer.
 * @param path Socket path.
 * @return fd, or ANET_ERR.
 *
 * Called by: tests, tools.
 */
int anetUnixConnect(char *err, const char *path)
{
    return anetUnixGenericConnect(err,path,ANET_CONNECT_NONE);
}

/**
 * @brief Non-blocking unix socket connect.
 * @param err Error buffer.
 * @param path Socket path.
 * @return fd, or ANET_ERR.
 *
 * Called by: tools.
 */
int anetUnixNonBlockConnect(char *err, const char *path)
{
    return anetUnixGenericConnect(err,path,ANET_CONNECT_NONBLOCK);
}

/* ---------------------------- Full reads and writes ---------------------------- */

/**
 * @brief read() until @p count bytes arrive, EOF, or an error.
 * @param fd Descriptor (blocking).
 * @param buf Destination.
 * @param count Bytes wanted.
 * @return Bytes read (less than @p count only at EOF), or -1 on error.
 *
 * Called by: tests and synchronous helpers; the event-driven server uses
 * plain read() on non-blocking sockets instead.
 */
int anetRead(int fd, char *buf, int count)
{
    ssize_t nread, totlen = 0;

    while(totlen != count) {
        nread = read(fd,buf,count-totlen);
        if (nread == 0) return totlen;
        if (nread == -1) return -1;
        totlen += nread;
        buf += nread;
    }
    return totlen;
}

/**
 * @brief write() until @p count bytes are written or an error occurs.
 * @param fd Descriptor (blocking).
 * @param buf Source.
 * @param count Bytes to write.
 * @return Bytes written, or -1 on error.
 *
 * Called by: tests and synchronous helpers.
 */
int anetWrite(int fd, char *buf, int count)
{
    ssize_t nwritten, totlen = 0;

    while(totlen != count) {
        nwritten = write(fd,buf,count-totlen);
        if (nwritten == 0) return totlen;
        if (nwritten == -1) return -1;
        totlen += nwritten;
        buf += nwritten;
    }
    return totlen;
}

/* ---------------------------- Listening ---------------------------- */

/**
 * @brief bind() and listen(); close @p s on failure.
 * @param err Error buffer.
 * @param s Socket.
 * @param sa Address to bind.
 * @param len Its length.
 * @param backlog Pending-connection queue length (tcp-backlog 511).
 * @return ANET_OK or ANET_ERR.
 *
 * Called by: _anetTcpServer(), anetUnixServer().
 */
static int anetListen(char *err, int s, struct sockaddr *sa, socklen_t len, int backlog) {
    if (bind(s,sa,len) == -1) {
        anetSetError(err, "bind: %s", strerror(errno));
        close(s);
        return ANET_ERR;
    }
    if (listen(s, backlog) == -1) {
        anetSetError(err, "listen: %s", strerror(errno));
        close(s);
        return ANET_ERR;
    }
    return ANET_OK;
}

/**
 * @brief Make an IPv6 socket accept IPv6 only.
 * @param err Error buffer.
 * @param s Socket; closed on failure.
 * @return ANET_OK or ANET_ERR.
 *
 * Redis opens separate IPv4 and IPv6 listeners on the same port; without
 * IPV6_V6ONLY the IPv6 one would also claim IPv4 and the second bind()
 * would fail with EADDRINUSE.
 * Called by: _anetTcpServer() for AF_INET6.
 */
static int anetV6Only(char *err, int s) {
    int yes = 1;

    if (setsockopt(s,IPPROTO_IPV6,IPV6_V6ONLY,&yes,sizeof(yes)) == -1) {
        anetSetError(err, "setsockopt: %s", strerror(errno));
        close(s);
        return ANET_ERR;
    }
    return ANET_OK;
}

/* ANCHOR: anet-tcp-server */
/**
 * @brief Create a listening TCP socket for @p af on @p bindaddr:@p port.
 * @param err Error buffer.
 * @param port TCP port (0 lets the kernel pick one; see anetSockName()).
 * @param bindaddr Address to bind, or NULL for all interfaces.
 * @param af AF_INET or AF_INET6.
 * @param backlog listen() backlog.
 * @return Listening fd, or ANET_ERR.
 *
 * Called by: anetTcpServer(), anetTcp6Server().
 */
static int _anetTcpServer(char *err, int port, char *bindaddr, int af, int backlog)
{
    int s = -1, rv;
    char _port[6];  /* "65535" plus '\0' */
    struct addrinfo hints, *servinfo, *p;

    snprintf(_port,6,"%d",port);
    memset(&hints,0,sizeof(hints));
    hints.ai_family = af;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE; /* NULL bindaddr means "any address" */

    if ((rv = getaddrinfo(bindaddr,_port,&hints,&servinfo)) != 0) {
        anetSetError(err, "%s", gai_strerror(rv));
        return ANET_ERR;
    }
    /* Use the first address a socket can be created for. */
    for (p = servinfo; p != NULL; p = p->ai_next) {
        if ((s = socket(p->ai_family,p->ai_socktype,p->ai_protocol)) == -1)
            continue;

        if (af == AF_INET6 && anetV6Only(err,s) == ANET_ERR) {
            s = -1; /* already closed by anetV6Only() */
            goto error;
        }
        if (anetSetReuseAddr(err,s) == ANET_ERR) goto error;
        if (anetListen(err,s,p->ai_addr,p->ai_addrlen,backlog) == ANET_ERR) {
            s = ANET_ERR; /* already closed by anetListen() */
        }
        goto end;
    }
    if (p == NULL) {
        anetSetError(err, "unable to bind socket, errno: %d", errno);
        goto error;
    }

error:
    if (s != -1) close(s);
    s = ANET_ERR;
end:
    freeaddrinfo(servinfo);
    return s;
}
/* ANCHOR_END: anet-tcp-server */

/**
 * @brief Listen on IPv4.
 * @param err Error buffer.
 * @param port TCP port.
 * @param bindaddr e.g. "127.0.0.1", or NULL for 0.0.0.0.
 * @param backlog listen() backlog.
 * @return Listening fd, or ANET_ERR ("bind: Address already in use").
 *
 * Called by: listenToPort() in the server.
 */
int anetTcpServer(char *err, int port, char *bindaddr, int backlog)
{
    return _anetTcpServer(err, port, bindaddr, AF_INET, backlog);
}

/**
 * @brief Listen on IPv6 (IPv6 only, see anetV6Only()).
 * @param err Error buffer.
 * @param port TCP port.
 * @param bindaddr e.g. "::1", or NULL for "::".
 * @param backlog listen() backlog.
 * @return Listening fd, or ANET_ERR.
 *
 * Called by: listenToPort() in the server.
 */
int anetTcp6Server(char *err, int port, char *bindaddr, int backlog)
{
    return _anetTcpServer(err, port, bindaddr, AF_INET6, backlog);
}

/**
 * @brief Listen on a unix domain socket at @p path.
 * @param err Error buffer.
 * @param path Filesystem path (must not exist; the server unlink()s first).
 * @param perm chmod() mode for the socket file, 0 to leave the default.
 * @param backlog listen() backlog.
 * @return Listening fd, or ANET_ERR.
 *
 * Called by: initServer() when "unixsocket" is configured.
 */
int anetUnixServer(char *err, char *path, mode_t perm, int backlog)
{
    int s;
    struct sockaddr_un sa;

    if ((s = anetCreateSocket(err,AF_LOCAL)) == ANET_ERR)
        return ANET_ERR;

    memset(&sa,0,sizeof(sa));
    sa.sun_family = AF_LOCAL;
    strncpy(sa.sun_path,path,sizeof(sa.sun_path)-1);
    if (anetListen(err,s,(struct sockaddr*)&sa,sizeof(sa),backlog) == ANET_ERR)
        return ANET_ERR;
    if (perm)
        chmod(sa.sun_path, perm);
    return s;
}

/* ---------------------------- Accepting ---------------------------- */

/**
 * @brief accept(), retrying when a signal interrupts it.
 * @param err Error buffer.
 * @param s Listening socket.
 * @param sa Out: peer address.
 * @param len In/out: size of @p sa.
 * @return New fd, or ANET_ERR (EAGAIN when the queue is empty).
 *
 * Called by: anetTcpAccept(), anetUnixAccept().
 */
static int anetGenericAccept(char *err, int s, struct sockaddr *sa, socklen_t *len) {
    int fd;

    while(1) {
        fd = accept(s,sa,len);
        if (fd == -1) {
            if (errno == EINTR)
                continue;
            anetSetError(err, "accept: %s", strerror(errno));
            return ANET_ERR;
        }
        break;
    }
    return fd;
}

/* ANCHOR: anet-tcp-accept */
/**
 * @brief Accept one TCP connection and report who it came from.
 * @param err Error buffer.
 * @param serversock Listening socket.
 * @param ip Out (may be NULL): peer address text, e.g. "127.0.0.1".
 * @param ip_len Size of @p ip (NET_IP_STR_LEN = 46 fits any IPv6 text).
 * @param port Out (may be NULL): peer port, e.g. 52344.
 * @return New connected fd, or ANET_ERR.
 *
 * Called by: acceptTcpHandler(), up to 1000 times per readable event.
 */
int anetTcpAccept(char *err, int serversock, char *ip, size_t ip_len, int *port) {
    int fd;
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);

    if ((fd = anetGenericAccept(err,serversock,(struct sockaddr*)&sa,&salen)) == -1)
        return ANET_ERR;

    if (sa.ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&sa;
        if (ip) inet_ntop(AF_INET,(void*)&(s->sin_addr),ip,ip_len);
        if (port) *port = ntohs(s->sin_port);
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
        if (ip) inet_ntop(AF_INET6,(void*)&(s->sin6_addr),ip,ip_len);
        if (port) *port = ntohs(s->sin6_port);
    }
    return fd;
}
/* ANCHOR_END: anet-tcp-accept */

/**
 * @brief Accept one unix socket connection.
 * @param err Error buffer.
 * @param serversock Listening unix socket.
 * @return New fd, or ANET_ERR.
 *
 * Called by: acceptUnixHandler().
 */
int anetUnixAccept(char *err, int serversock) {
    int fd;
    struct sockaddr_un sa;
    socklen_t salen = sizeof(sa);

    if ((fd = anetGenericAccept(err,serversock,(struct sockaddr*)&sa,&salen)) == -1)
        return ANET_ERR;
    return fd;
}

/* ---------------------------- Names ---------------------------- */

/**
 * @brief Describe one end of a socket as (ip, port).
 * @param fd Socket.
 * @param ip Out (may be NULL): "127.0.0.1", "::1", or "/unixsocket" for
 *        unix domain sockets; "?" on error.
 * @param ip_len Size of @p ip.
 * @param port Out (may be NULL): the port, 0 for unix sockets or on error.
 * @param fd_to_str_type FD_TO_PEER_NAME (remote end) or FD_TO_SOCK_NAME (local).
 * @return 0 on success, -1 on error.
 *
 * Called by: anetPeerToString(), anetSockName().
 * @par Redis 5.0:
 * Redis 5.0.14 has the same logic inside anetPeerToString() (including the
 * "/unixsocket" and port 0 answer for AF_UNIX) and, for the local end,
 * anetSockName(); the shared helper with a type argument is how Redis
 * 6.2.0 factored them (6.0.x still has the two separate functions).
 */
int anetFdToString(int fd, char *ip, size_t ip_len, int *port, int fd_to_str_type) {
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);

    if (fd_to_str_type == FD_TO_PEER_NAME) {
        if (getpeername(fd, (struct sockaddr *)&sa, &salen) == -1) goto error;
    } else {
        if (getsockname(fd, (struct sockaddr *)&sa, &salen) == -1) goto error;
    }
    if (ip_len == 0) goto error;

    if (sa.ss_family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&sa;
        if (ip) inet_ntop(AF_INET,(void*)&(s->sin_addr),ip,ip_len);
        if (port) *port = ntohs(s->sin_port);
    } else if (sa.ss_family == AF_INET6) {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
        if (ip) inet_ntop(AF_INET6,(void*)&(s->sin6_addr),ip,ip_len);
        if (port) *port = ntohs(s->sin6_port);
    } else if (sa.ss_family == AF_UNIX) {
        /* CLIENT LIST shows unix socket clients as "addr=/unixsocket:0". */
        if (ip) {
            strncpy(ip,"/unixsocket",ip_len);
            ip[ip_len-1] = '\0';
        }
        if (port) *port = 0;
    } else {
        goto error;
    }
    return 0;

error:
    /* Leave something printable: "?" (or "" if only one byte fits). */
    if (ip) {
        if (ip_len >= 2) {
            ip[0] = '?';
            ip[1] = '\0';
        } else if (ip_len == 1) {
            ip[0] = '\0';
        }
    }
    if (port) *port = 0;
    return -1;
}

/**
 * @brief The remote end of @p fd.
 * @param fd Socket.
 * @param ip Out: address text (see anetFdToString()).
 * @param ip_len Size of @p ip.
 * @param port Out: port.
 * @return 0 or -1.
 *
 * Called by: anetFormatPeer() (whose caller is genClientPeerId(), client_cmd.c).
 */
int anetPeerToString(int fd, char *ip, size_t ip_len, int *port) {
    return anetFdToString(fd, ip, ip_len, port, FD_TO_PEER_NAME);
}

/**
 * @brief The local end of @p fd (e.g. the port the kernel chose for port 0).
 * @param fd Socket.
 * @param ip Out: address text.
 * @param ip_len Size of @p ip.
 * @param port Out: port.
 * @return 0 or -1.
 *
 * Called by: anetFormatSock(), CLIENT LIST "laddr"-style code, tests.
 * @par Redis 5.0:
 * Compared with Redis 5.0.14's anetSockName() (anet.c):
 * Redis 5.0's anetSockName() has no AF_UNIX branch; minired reports
 * "/unixsocket" there too.
 */
int anetSockName(int fd, char *ip, size_t ip_len, int *port) {
    return anetFdToString(fd, ip, ip_len, port, FD_TO_SOCK_NAME);
}

/**
 * @brief Format "ip:port", or "[ip]:port" when the ip contains ':' (IPv6).
 * @param fmt Output buffer.
 * @param fmt_len Its size.
 * @param ip Address text.
 * @param port Port.
 * @return snprintf()'s result: "127.0.0.1:6379", "[::1]:6379".
 *
 * Called by: anetFormatPeer(), anetFormatSock(), log messages.
 */
int anetFormatAddr(char *fmt, size_t fmt_len, char *ip, int port) {
    return snprintf(fmt,fmt_len, strchr(ip,':') ?
           "[%s]:%d" : "%s:%d", ip, port);
}

/**
 * @brief Format the remote end of @p fd as "ip:port".
 * @param fd Socket.
 * @param fmt Output buffer.
 * @param fmt_len Its size.
 * @return snprintf()'s result.
 *
 * Called by: CLIENT LIST ("addr=127.0.0.1:52344").
 */
int anetFormatPeer(int fd, char *fmt, size_t fmt_len) {
    char ip[INET6_ADDRSTRLEN];
    int port;

    anetPeerToString(fd,ip,sizeof(ip),&port);
    return anetFormatAddr(fmt, fmt_len, ip, port);
}

/**
 * @brief Format the local end of @p fd as "ip:port".
 * @param fd Socket.
 * @param fmt Output buffer.
 * @param fmt_len Its size.
 * @return snprintf()'s result.
 *
 * Called by: logging of listening sockets.
 */
int anetFormatSock(int fd, char *fmt, size_t fmt_len) {
    char ip[INET6_ADDRSTRLEN];
    int port;

    anetSockName(fd,ip,sizeof(ip),&port);
    return anetFormatAddr(fmt, fmt_len, ip, port);
}
