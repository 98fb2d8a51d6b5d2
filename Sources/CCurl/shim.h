// Typed wrappers around libcurl's variadic functions, which Swift cannot call directly.
// Each wrapper fixes the type of the value argument, so a wrong type is a compile error
// instead of undefined behaviour.
#ifndef TOKENBROKER_CCURL_SHIM_H
#define TOKENBROKER_CCURL_SHIM_H

#include <curl/curl.h>

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

#endif
