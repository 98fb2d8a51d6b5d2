// Typed wrappers around libcurl's variadic functions, which Swift cannot call directly.
// Each wrapper fixes the type of the value argument, so a wrong type is a compile error
// instead of undefined behaviour.
#ifndef TOKENBROKER_CCURL_SHIM_H
#define TOKENBROKER_CCURL_SHIM_H

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

typedef size_t (*tb_curl_data_callback)(char *buffer, size_t size, size_t count, void *user);

static inline CURLcode tb_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tb_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tb_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tb_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tb_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tb_easy_setopt_callback(CURL *handle, CURLoption option, tb_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode tb_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tb_easy_getinfo_pointer(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode tb_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// libcurl's CURLOPT_OPENSOCKETFUNCTION: opens the socket close-on-exec (so no child process
/// inherits an upstream connection), and keeps the errno of a failed open in `*errnoSlot`, so
/// the transport can tell a process out of descriptors or memory from a server that cannot
/// be reached (libcurl reports both as "couldn't connect").
static curl_socket_t tb_open_socket(void *errnoSlot, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    int fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd < 0) {
        if (errnoSlot) *(int *)errnoSlot = errno;
        return CURL_SOCKET_BAD;
    }
    return fd;
}

/// Opens the transfer's sockets with `tb_open_socket`, recording a failure's errno in `*errnoSlot`.
static inline CURLcode tb_easy_open_sockets(CURL *handle, int *errnoSlot) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, tb_open_socket);
    return code == CURLE_OK ? curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, (void *)errnoSlot) : code;
}

/// The result of a finished transfer, from the union inside CURLMsg.
static inline CURLcode tb_message_result(const CURLMsg *message) {
    return message->data.result;
}

static const size_t TB_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
static const size_t TB_CURL_READFUNC_PAUSE = CURL_READFUNC_PAUSE;
static const size_t TB_CURL_READFUNC_ABORT = CURL_READFUNC_ABORT;
static const int TB_CURLPAUSE_CONT = CURLPAUSE_CONT;
static const long TB_CURL_HTTP_VERSION_2TLS = CURL_HTTP_VERSION_2TLS;
static const long TB_CURLPIPE_MULTIPLEX = CURLPIPE_MULTIPLEX;

// MARK: The transport thread's event loop: libcurl's socket interface on epoll.

typedef int (*tb_curl_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *user, void *socketUser);
typedef int (*tb_curl_timer_callback)(CURLM *multi, long timeoutMilliseconds, void *user);

static inline CURLMcode tb_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLMcode tb_multi_setopt_socket_callback(CURLM *multi, tb_curl_socket_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback);
}

static inline CURLMcode tb_multi_setopt_timer_callback(CURLM *multi, tb_curl_timer_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback);
}

static const curl_socket_t TB_CURL_SOCKET_TIMEOUT = CURL_SOCKET_TIMEOUT;

/// Watches `fd` for what libcurl asked (`CURL_POLL_IN`, `_OUT` or `_INOUT`), level-triggered:
/// changes the registration if there is one, else adds it. 0, or -1 with errno set.
static inline int tb_epoll_watch(int epoll, int fd, int what) {
    struct epoll_event event = {0};
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) event.events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) event.events |= EPOLLOUT;
    event.data.fd = fd;
    if (epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) == 0) return 0;
    if (errno != ENOENT) return -1;
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

/// Stops watching `fd` (libcurl says so before it closes a socket).
static inline void tb_epoll_forget(int epoll, int fd) {
    struct epoll_event event = {0};
    (void)epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &event);
}

/// Waits up to `timeoutMilliseconds` (-1: no limit) and fills `fds` and `masks` with up to
/// `capacity` ready descriptors and their libcurl `CURL_CSELECT_*` bits. Returns how many;
/// 0 when interrupted by a signal; -1 with errno set on failure.
static inline int tb_epoll_wait(int epoll, int *fds, int *masks, int capacity, int timeoutMilliseconds) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll, events, capacity, timeoutMilliseconds);
    if (count < 0) return errno == EINTR ? 0 : -1;
    for (int index = 0; index < count; index++) {
        uint32_t ready = events[index].events;
        int mask = 0;
        if (ready & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) mask |= CURL_CSELECT_IN;
        if (ready & EPOLLOUT) mask |= CURL_CSELECT_OUT;
        if (ready & EPOLLERR) mask |= CURL_CSELECT_ERR;
        fds[index] = events[index].data.fd;
        masks[index] = mask;
    }
    return count;
}

/// Wakes the transport thread: adds one to its eventfd.
static inline void tb_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t written;
    do { written = write(fd, &one, sizeof one); } while (written < 0 && errno == EINTR);
}

/// Takes the eventfd's count (non-blocking), so the next wait sleeps again.
static inline void tb_eventfd_drain(int fd) {
    uint64_t count;
    ssize_t got;
    do { got = read(fd, &count, sizeof count); } while (got < 0 && errno == EINTR);
}

#endif
