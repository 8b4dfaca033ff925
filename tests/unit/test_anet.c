/**
 * @file test_anet.c
 * @brief Check unit tests for anet.c: TCP listen/connect/accept on
 *        127.0.0.1 with a kernel-chosen port, peer and socket names,
 *        socket options, errors, unix sockets in a temporary directory.
 */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "anet.h"

/** @brief A connected TCP trio: listener, client end, server end. */
typedef struct {
    int listener; /**< Listening socket. */
    int port;     /**< Port the kernel picked. */
    int cfd;      /**< Client side. */
    int sfd;      /**< Accepted side. */
    char ip[64];  /**< Peer ip reported by anetTcpAccept(). */
    int cport;    /**< Peer port reported by anetTcpAccept(). */
} conn;

/**
 * @brief Listen on 127.0.0.1:0, connect, accept.
 * @param c Out: the three sockets and names.
 */
static void tcp_pair(conn *c) {
    char err[ANET_ERR_LEN] = "";
    char ip[64];

    c->listener = anetTcpServer(err, 0, "127.0.0.1", 16);
    ck_assert_msg(c->listener != ANET_ERR, "anetTcpServer: %s", err);
    ck_assert_int_eq(anetSockName(c->listener, ip, sizeof(ip), &c->port), 0);
    ck_assert_str_eq(ip, "127.0.0.1");
    ck_assert_int_gt(c->port, 0);

    c->cfd = anetTcpConnect(err, "127.0.0.1", c->port);
    ck_assert_msg(c->cfd != ANET_ERR, "anetTcpConnect: %s", err);
    c->sfd = anetTcpAccept(err, c->listener, c->ip, sizeof(c->ip), &c->cport);
    ck_assert_msg(c->sfd != ANET_ERR, "anetTcpAccept: %s", err);
}

/**
 * @brief Close the trio.
 * @param c Sockets to close.
 */
static void tcp_close(conn *c) {
    close(c->cfd);
    close(c->sfd);
    close(c->listener);
}

/** @brief Accept reports the client's address; names agree on both ends. */
START_TEST(test_tcp_accept_and_names)
{
    conn c;
    char ip[64], buf[128];
    int port;

    tcp_pair(&c);
    ck_assert_str_eq(c.ip, "127.0.0.1");

    /* The accepted peer is the client's local end. */
    ck_assert_int_eq(anetSockName(c.cfd, ip, sizeof(ip), &port), 0);
    ck_assert_int_eq(port, c.cport);
    /* The client's peer is the listening port. */
    ck_assert_int_eq(anetPeerToString(c.cfd, ip, sizeof(ip), &port), 0);
    ck_assert_str_eq(ip, "127.0.0.1");
    ck_assert_int_eq(port, c.port);
    ck_assert_int_eq(anetFdToString(c.sfd, ip, sizeof(ip), &port, FD_TO_PEER_NAME), 0);
    ck_assert_int_eq(port, c.cport);

    /* CLIENT LIST style "addr=127.0.0.1:52344". */
    anetFormatPeer(c.sfd, buf, sizeof(buf));
    {
        char want[128];
        snprintf(want, sizeof(want), "127.0.0.1:%d", c.cport);
        ck_assert_str_eq(buf, want);
        anetFormatSock(c.sfd, buf, sizeof(buf));
        snprintf(want, sizeof(want), "127.0.0.1:%d", c.port);
        ck_assert_str_eq(buf, want);
    }
    /* NULL outputs are allowed. */
    ck_assert_int_eq(anetPeerToString(c.cfd, NULL, 16, NULL), 0);
    ck_assert_int_eq(anetTcpAccept(NULL, -1, NULL, 0, NULL), ANET_ERR);
    tcp_close(&c);
}
END_TEST

/** @brief anetWrite/anetRead move exact byte counts; anetRead stops at EOF. */
START_TEST(test_read_write)
{
    conn c;
    char buf[64];

    tcp_pair(&c);
    ck_assert_int_eq(anetWrite(c.cfd, "*1\r\n$4\r\nPING\r\n", 14), 14);
    ck_assert_int_eq(anetRead(c.sfd, buf, 14), 14);
    ck_assert_int_eq(memcmp(buf, "*1\r\n$4\r\nPING\r\n", 14), 0);

    ck_assert_int_eq(anetWrite(c.sfd, "+PONG\r\n", 7), 7);
    shutdown(c.sfd, SHUT_WR);
    /* Ask for more than will ever come: returns what arrived before EOF. */
    ck_assert_int_eq(anetRead(c.cfd, buf, 64), 7);
    ck_assert_int_eq(memcmp(buf, "+PONG\r\n", 7), 0);
    tcp_close(&c);
}
END_TEST

/** @brief O_NONBLOCK on/off, TCP_NODELAY, keepalive timings. */
START_TEST(test_socket_options)
{
    conn c;
    char err[ANET_ERR_LEN], buf[4];
    int val;
    socklen_t len = sizeof(val);

    tcp_pair(&c);
    ck_assert_int_eq(anetNonBlock(err, c.sfd), ANET_OK);
    ck_assert(fcntl(c.sfd, F_GETFL) & O_NONBLOCK);
    /* Non-blocking read on an idle socket: -1/EAGAIN, not a hang. */
    ck_assert_int_eq(read(c.sfd, buf, sizeof(buf)), -1);
    ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
    ck_assert_int_eq(anetBlock(err, c.sfd), ANET_OK);
    ck_assert(!(fcntl(c.sfd, F_GETFL) & O_NONBLOCK));

    ck_assert_int_eq(anetEnableTcpNoDelay(err, c.sfd), ANET_OK);
    getsockopt(c.sfd, IPPROTO_TCP, TCP_NODELAY, &val, &len);
    ck_assert_int_eq(val, 1);
    ck_assert_int_eq(anetDisableTcpNoDelay(err, c.sfd), ANET_OK);
    getsockopt(c.sfd, IPPROTO_TCP, TCP_NODELAY, &val, &len);
    ck_assert_int_eq(val, 0);

    ck_assert_int_eq(anetKeepAlive(err, c.sfd, 300), ANET_OK);
    getsockopt(c.sfd, SOL_SOCKET, SO_KEEPALIVE, &val, &len);
    ck_assert_int_eq(val, 1);
#ifdef __linux__
    getsockopt(c.sfd, IPPROTO_TCP, TCP_KEEPIDLE, &val, &len);
    ck_assert_int_eq(val, 300);
    getsockopt(c.sfd, IPPROTO_TCP, TCP_KEEPINTVL, &val, &len);
    ck_assert_int_eq(val, 100);
    getsockopt(c.sfd, IPPROTO_TCP, TCP_KEEPCNT, &val, &len);
    ck_assert_int_eq(val, 3);
    /* interval/3 == 0 is bumped to 1. */
    ck_assert_int_eq(anetKeepAlive(err, c.sfd, 2), ANET_OK);
    getsockopt(c.sfd, IPPROTO_TCP, TCP_KEEPINTVL, &val, &len);
    ck_assert_int_eq(val, 1);
#endif
    ck_assert_int_eq(anetTcpKeepAlive(err, c.cfd), ANET_OK);
    ck_assert_int_eq(anetSendTimeout(err, c.cfd, 1500), ANET_OK);

    /* The listener has SO_REUSEADDR. */
    getsockopt(c.listener, SOL_SOCKET, SO_REUSEADDR, &val, &len);
    ck_assert_int_eq(val, 1);

    /* Errors are reported in err, with Redis's prefixes. */
    ck_assert_int_eq(anetNonBlock(err, -1), ANET_ERR);
    ck_assert_str_eq(err, "fcntl(F_GETFL): Bad file descriptor");
    ck_assert_int_eq(anetEnableTcpNoDelay(err, -1), ANET_ERR);
    ck_assert_str_eq(err, "setsockopt TCP_NODELAY: Bad file descriptor");
    tcp_close(&c);
}
END_TEST

/** @brief Busy port, refused connection, bad address: ANET_ERR with a message. */
START_TEST(test_errors)
{
    conn c;
    char err[ANET_ERR_LEN] = "";
    char ip[64];
    int port, fds[2];

    tcp_pair(&c);
    /* A second listener on the same port. */
    ck_assert_int_eq(anetTcpServer(err, c.port, "127.0.0.1", 16), ANET_ERR);
    ck_assert_str_eq(err, "bind: Address already in use");

    /* Close the listener: connecting now is refused. */
    close(c.listener);
    ck_assert_int_eq(anetTcpConnect(err, "127.0.0.1", c.port), ANET_ERR);
    ck_assert_str_eq(err, "creating socket: Connection refused");
    close(c.cfd);
    close(c.sfd);

    /* Not an address (no DNS for a numeric-looking bad name). */
    ck_assert_int_eq(anetTcpServer(err, 0, "999.1.1.1", 16), ANET_ERR);
    ck_assert_int_gt(strlen(err), 0);

    /* Names of something that is not a socket: "?" and port 0. */
    ck_assert_int_eq(pipe(fds), 0);
    port = 99;
    ck_assert_int_eq(anetPeerToString(fds[0], ip, sizeof(ip), &port), -1);
    ck_assert_str_eq(ip, "?");
    ck_assert_int_eq(port, 0);
    ck_assert_int_eq(anetPeerToString(fds[0], ip, 1, &port), -1);
    ck_assert_str_eq(ip, "");
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/** @brief Non-blocking connect completes once the listener accepts. */
START_TEST(test_nonblock_connect)
{
    char err[ANET_ERR_LEN] = "";
    char ip[64];
    int lfd, port, cfd, sfd;

    lfd = anetTcpServer(err, 0, "127.0.0.1", 16);
    ck_assert_int_ne(lfd, ANET_ERR);
    anetSockName(lfd, ip, sizeof(ip), &port);
    cfd = anetTcpNonBlockConnect(err, "127.0.0.1", port);
    ck_assert_msg(cfd != ANET_ERR, "%s", err);
    ck_assert(fcntl(cfd, F_GETFL) & O_NONBLOCK);
    sfd = anetTcpAccept(err, lfd, NULL, 0, NULL);
    ck_assert_int_ne(sfd, ANET_ERR);
    close(sfd);
    close(cfd);

    cfd = anetTcpNonBlockBindConnect(err, "127.0.0.1", port, "127.0.0.1");
    ck_assert_msg(cfd != ANET_ERR, "%s", err);
    sfd = anetTcpAccept(err, lfd, ip, sizeof(ip), &port);
    ck_assert_int_ne(sfd, ANET_ERR);
    ck_assert_str_eq(ip, "127.0.0.1");
    close(sfd);
    close(cfd);
    close(lfd);
}
END_TEST

/** @brief IPv6 listener on ::1 (skipped when the host has no IPv6). */
START_TEST(test_tcp6)
{
    char err[ANET_ERR_LEN] = "";
    char ip[64], buf[128], want[128];
    int lfd, port, cfd, sfd, val;
    socklen_t len = sizeof(val);

    lfd = anetTcp6Server(err, 0, "::1", 16);
    if (lfd == ANET_ERR) return; /* no IPv6 loopback in this environment */
    getsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &val, &len);
    ck_assert_int_eq(val, 1);
    ck_assert_int_eq(anetSockName(lfd, ip, sizeof(ip), &port), 0);
    ck_assert_str_eq(ip, "::1");
    cfd = anetTcpConnect(err, "::1", port);
    ck_assert_msg(cfd != ANET_ERR, "%s", err);
    sfd = anetTcpAccept(err, lfd, ip, sizeof(ip), &port);
    ck_assert_str_eq(ip, "::1");
    /* IPv6 addresses are bracketed: "[::1]:port". */
    anetFormatPeer(sfd, buf, sizeof(buf));
    snprintf(want, sizeof(want), "[::1]:%d", port);
    ck_assert_str_eq(buf, want);
    close(sfd);
    close(cfd);
    close(lfd);
}
END_TEST

/** @brief anetFormatAddr brackets only IPv6; resolve helpers. */
START_TEST(test_format_and_resolve)
{
    char buf[64], err[ANET_ERR_LEN];

    anetFormatAddr(buf, sizeof(buf), "127.0.0.1", 6379);
    ck_assert_str_eq(buf, "127.0.0.1:6379");
    anetFormatAddr(buf, sizeof(buf), "::1", 6379);
    ck_assert_str_eq(buf, "[::1]:6379");
    anetFormatAddr(buf, sizeof(buf), "/unixsocket", 0);
    ck_assert_str_eq(buf, "/unixsocket:0");

    ck_assert_int_eq(anetResolveIP(err, "127.0.0.1", buf, sizeof(buf)), ANET_OK);
    ck_assert_str_eq(buf, "127.0.0.1");
    ck_assert_int_eq(anetResolveIP(err, "0:0:0:0:0:0:0:1", buf, sizeof(buf)), ANET_OK);
    ck_assert_str_eq(buf, "::1");
    /* ANET_IP_ONLY: host names are refused without a DNS query. */
    ck_assert_int_eq(anetResolveIP(err, "localhost", buf, sizeof(buf)), ANET_ERR);
}
END_TEST

/** @brief Unix socket: listen with permissions, connect, accept, names. */
START_TEST(test_unix_socket)
{
    char dir[] = "/tmp/minired-anet-XXXXXX";
    char path[128], err[ANET_ERR_LEN] = "", ip[64], buf[64];
    int lfd, cfd, sfd, port = 99;
    struct stat st;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/redis.sock", dir);

    lfd = anetUnixServer(err, path, 0700, 16);
    ck_assert_msg(lfd != ANET_ERR, "anetUnixServer: %s", err);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    ck_assert_int_eq(st.st_mode & 0777, 0700);

    cfd = anetUnixConnect(err, path);
    ck_assert_msg(cfd != ANET_ERR, "anetUnixConnect: %s", err);
    sfd = anetUnixAccept(err, lfd);
    ck_assert_int_ne(sfd, ANET_ERR);

    ck_assert_int_eq(anetWrite(cfd, "PING\r\n", 6), 6);
    ck_assert_int_eq(anetRead(sfd, buf, 6), 6);
    ck_assert_int_eq(memcmp(buf, "PING\r\n", 6), 0);

    /* Unix peers have no ip/port: Redis shows "/unixsocket" and 0. */
    ck_assert_int_eq(anetPeerToString(sfd, ip, sizeof(ip), &port), 0);
    ck_assert_str_eq(ip, "/unixsocket");
    ck_assert_int_eq(port, 0);
    anetFormatPeer(sfd, buf, sizeof(buf));
    ck_assert_str_eq(buf, "/unixsocket:0");
    /* Truncation stays terminated. */
    ck_assert_int_eq(anetPeerToString(sfd, ip, 5, &port), 0);
    ck_assert_str_eq(ip, "/uni");

    /* Path already bound. */
    ck_assert_int_eq(anetUnixServer(err, path, 0, 16), ANET_ERR);
    ck_assert_str_eq(err, "bind: Address already in use");

    close(sfd);
    close(cfd);
    close(lfd);
    unlink(path);

    /* Nothing listening any more. */
    ck_assert_int_eq(anetUnixConnect(err, path), ANET_ERR);
    ck_assert_str_eq(err, "connect: No such file or directory");
    cfd = anetUnixNonBlockConnect(err, path);
    ck_assert_int_eq(cfd, ANET_ERR);
    rmdir(dir);
}
END_TEST

/**
 * @brief The suite of this file.
 * @return A Suite with all anet test cases.
 */
static Suite *anet_suite(void) {
    Suite *s = suite_create("anet");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_tcp_accept_and_names);
    tcase_add_test(tc, test_read_write);
    tcase_add_test(tc, test_socket_options);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_nonblock_connect);
    tcase_add_test(tc, test_tcp6);
    tcase_add_test(tc, test_format_and_resolve);
    tcase_add_test(tc, test_unix_socket);
    suite_add_tcase(s, tc);
    return s;
}

/**
 * @brief Run the suite.
 * @return 0 if every test passed, 1 otherwise.
 */
int main(void) {
    SRunner *sr = srunner_create(anet_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
