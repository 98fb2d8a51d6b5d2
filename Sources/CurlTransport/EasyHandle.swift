import CCurl
import Foundation

/// Builds a libcurl easy handle for a transfer, and turns libcurl's result codes into
/// ``TransportError``s.
enum EasyHandle {
    /// Sets up `transfer` on `reused` (a finished handle, reset here) or a new handle.
    static func configure(_ transfer: Transfer, reusing reused: UnsafeMutableRawPointer?, verifyTLS: Bool) throws(TransportError) {
        if let reused { curl_easy_reset(reused) }
        guard let easy = reused ?? curl_easy_init() else {
            throw TransportError(kind: .other, message: "curl_easy_init failed")
        }
        transfer.easy = easy
        let unmanaged = Unmanaged.passRetained(transfer)
        transfer.unmanaged = unmanaged
        let userdata = unmanaged.toOpaque()
        let request = transfer.request

        func check(_ code: CURLcode, _ what: String) throws(TransportError) {
            guard code == CURLE_OK else {
                throw TransportError(kind: .invalidRequest, message: "\(what): \(String(cString: curl_easy_strerror(code)))", curlCode: Int(code.rawValue))
            }
        }
        try check(tb_easy_setopt_string(easy, CURLOPT_URL, request.url), "url \(request.url)")
        try check(tb_easy_setopt_pointer(easy, CURLOPT_PRIVATE, userdata), "private")
        try check(tb_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, transferHeaderCallback), "header callback")
        try check(tb_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userdata), "header data")
        try check(tb_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, transferWriteCallback), "write callback")
        try check(tb_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userdata), "write data")
        try check(tb_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer), "error buffer")
        try check(tb_easy_open_sockets(easy, transfer.socketErrno), "socket opener")
        // Signals are no way to time out in a multi-threaded process.
        try check(tb_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(tb_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "nodelay")
        try check(tb_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, TB_CURL_HTTP_VERSION_2TLS), "http version")
        // Wait for a multiplexed HTTP/2 connection rather than open a second one. Only over
        // TLS, where HTTP/2 is possible: on plain HTTP libcurl would learn that a connection
        // cannot multiplex only from its first response, and hold every other request to the
        // host until then.
        if request.url.prefix(6).lowercased() == "https:" {
            try check(tb_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1), "pipewait")
        }
        try check(tb_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, verifyTLS ? 1 : 0), "verify peer")
        try check(tb_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, verifyTLS ? 2 : 0), "verify host")
        if let timeout = request.connectTimeout {
            try check(tb_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(timeout)), "connect timeout")
        }
        if let timeout = request.timeout {
            try check(tb_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, milliseconds(timeout)), "timeout")
        }
        if let path = request.unixSocketPath {
            try check(tb_easy_setopt_string(easy, CURLOPT_UNIX_SOCKET_PATH, path), "unix socket \(path)")
        }

        // A 1 KB body would otherwise wait for "100 Continue" on HTTP/1.1.
        var headerLines = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
        let method = request.method.uppercased()
        switch request.body {
        case .none:
            if method != "GET" && method != "HEAD" {
                try check(tb_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0), "body size")
                try check(tb_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, ""), "body")
            }
            if method == "HEAD" { try check(tb_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "head") }
        case .bytes(let data):
            try check(tb_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(data.count)), "body size")
            // COPYPOSTFIELDS copies, so the body need not outlive this call.
            let code = data.withUnsafeBytes { bytes in
                tb_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
            try check(code, "body")
        case .stream:
            try check(tb_easy_setopt_long(easy, CURLOPT_POST, 1), "post")
            try check(tb_easy_setopt_callback(easy, CURLOPT_READFUNCTION, transferReadCallback), "read callback")
            try check(tb_easy_setopt_pointer(easy, CURLOPT_READDATA, userdata), "read data")
            headerLines.append("Transfer-Encoding: chunked")
        }
        if method != "GET" && method != "POST" && method != "HEAD" {
            try check(tb_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method), "method")
        } else if method == "GET", case .none = request.body {
            try check(tb_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "get")
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in headerLines {
            // Bytes, not Foundation's String.contains: this runs for every header of every request.
            guard !line.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else {
                throw TransportError(kind: .invalidRequest, message: "header with a line break: \(line.prefix(40))")
            }
            list = curl_slist_append(list, line)
        }
        transfer.headerList = list
        try check(tb_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list), "headers")
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    static func error(_ code: CURLcode, transfer: Transfer) -> TransportError {
        // Only when no connection could be made: a socket refused on a first address that a
        // later one got past says nothing about a failure after that.
        let socketErrno = transfer.socketErrno.pointee
        if code == CURLE_COULDNT_CONNECT, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(socketErrno) {
            return TransportError(
                kind: .localResources, message: "cannot open a socket: \(String(cString: strerror(socketErrno)))",
                curlCode: Int(code.rawValue))
        }
        let detail = String(cString: transfer.errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: TransportError.Kind =
            switch code {
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: .connectionFailed
            case CURLE_OPERATION_TIMEDOUT: .timeout
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
                CURLE_SSL_CACERT_BADFILE:
                .tls
            case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
                .connectionLost
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidRequest
            case CURLE_WRITE_ERROR: .responseTooLarge
            default: .other
            }
        return TransportError(kind: kind, message: message, curlCode: Int(code.rawValue))
    }
}
