/**
 * @file anet.h
 * @brief Thin wrappers over the BSD socket calls ("another networking lib").
 *
 * Where it sits: between the kernel and the server. initServer() opens the
 * listening socket with anetTcpServer(); acceptTcpHandler() takes each new
 * connection with anetTcpAccept() and hands the fd to createClient(),
 * which makes it non-blocking (anetNonBlock), disables Nagle
 * (anetEnableTcpNoDelay) and turns on keepalive (anetKeepAlive).
 * In: addresses, ports, fds. Out: fds, or ANET_ERR with a message in the
 * caller's err[ANET_ERR_LEN] buffer (e.g. "bind: Address already in use").
 */
#ifndef ANET_H
#define ANET_H

#include <sys/types.h>

#define ANET_OK 0        /**< Success. */
#define ANET_ERR -1      /**< Failure; the err buffer says why. */
#define ANET_ERR_LEN 256 /**< Size of the caller's error buffer. */

/* Flags used with certain functions. */
#define ANET_NONE 0          /**< No flags. */
#define ANET_IP_ONLY (1<<0)  /**< anetGenericResolve(): accept only numeric addresses. */

#define FD_TO_PEER_NAME 0    /**< anetFdToString(): describe the remote end. */
#define FD_TO_SOCK_NAME 1    /**< anetFdToString(): describe the local end. */

#if defined(__sun) || defined(_AIX)
#define AF_LOCAL AF_UNIX
#endif

int anetTcpConnect(char *err, const char *addr, int port);
int anetTcpNonBlockConnect(char *err, const char *addr, int port);
int anetTcpNonBlockBindConnect(char *err, const char *addr, int port, const char *source_addr);
int anetUnixConnect(char *err, const char *path);
int anetUnixNonBlockConnect(char *err, const char *path);
int anetRead(int fd, char *buf, int count);
int anetResolve(char *err, char *host, char *ipbuf, size_t ipbuf_len);
int anetResolveIP(char *err, char *host, char *ipbuf, size_t ipbuf_len);
int anetTcpServer(char *err, int port, char *bindaddr, int backlog);
int anetTcp6Server(char *err, int port, char *bindaddr, int backlog);
int anetUnixServer(char *err, char *path, mode_t perm, int backlog);
int anetTcpAccept(char *err, int serversock, char *ip, size_t ip_len, int *port);
int anetUnixAccept(char *err, int serversock);
int anetWrite(int fd, char *buf, int count);
int anetNonBlock(char *err, int fd);
int anetBlock(char *err, int fd);
int anetEnableTcpNoDelay(char *err, int fd);
int anetDisableTcpNoDelay(char *err, int fd);
int anetTcpKeepAlive(char *err, int fd);
int anetSendTimeout(char *err, int fd, long long ms);
int anetFdToString(int fd, char *ip, size_t ip_len, int *port, int fd_to_str_type);
int anetPeerToString(int fd, char *ip, size_t ip_len, int *port);
int anetKeepAlive(char *err, int fd, int interval);
int anetSockName(int fd, char *ip, size_t ip_len, int *port);
int anetFormatAddr(char *fmt, size_t fmt_len, char *ip, int port);
int anetFormatPeer(int fd, char *fmt, size_t fmt_len);
int anetFormatSock(int fd, char *fmt, size_t fmt_len);

#endif /* ANET_H */
