import CCurl
import Foundation

/// One request in flight. Created by a caller, then handed to the transport thread: from
/// then on only that thread reads or writes it (libcurl's callbacks run there too), which
/// is why it can be `@unchecked Sendable`.
final class Transfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequest
    private var delivery: Delivery

    /// How the response reaches the caller.
    enum Delivery {
        /// Head first, then the body as a stream (``CurlTransport/send(_:)``).
        case streaming(head: CheckedContinuation<HTTPResponse, any Error>?, body: ResponseBody,
            continuation: AsyncThrowingStream<Data, any Error>.Continuation)
        /// Everything at the end in one resume (``CurlTransport/data(for:)``): no task hop per chunk.
        case collected(CheckedContinuation<(HTTPResponse, Data), any Error>?, buffer: Data, limit: Int)
    }

    var easy: UnsafeMutableRawPointer?
    /// libcurl writes its detailed error message here (`CURLOPT_ERRORBUFFER`).
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        return buffer
    }()
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// The userdata pointer given to libcurl: one retain, released exactly once in ``release()``.
    var unmanaged: Unmanaged<Transfer>?

    // Response parsing state.
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var headDelivered = false

    // Streamed request body.
    var upload = Data()
    var uploadOffset = 0
    var uploadEnded = false
    var uploadPaused = false

    deinit {
        errorBuffer.deallocate()
    }

    init(
        id: UInt64, request: HTTPRequest, head: CheckedContinuation<HTTPResponse, any Error>,
        body: ResponseBody, continuation: AsyncThrowingStream<Data, any Error>.Continuation
    ) {
        self.id = id
        self.request = request
        self.delivery = .streaming(head: head, body: body, continuation: continuation)
    }

    init(id: UInt64, request: HTTPRequest, collected: CheckedContinuation<(HTTPResponse, Data), any Error>, limit: Int) {
        self.id = id
        self.request = request
        self.delivery = .collected(collected, buffer: Data(), limit: limit)
    }

    // MARK: Events from libcurl (transport thread)

    func receivedHeaderLine(_ line: Substring) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new response block: 1xx interim responses and redirects start over.
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if trimmed.isEmpty {
            if status >= 200 { deliverHead() }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
    }

    /// False when the body is over the collected limit: libcurl then aborts the transfer.
    func receivedBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !headDelivered { deliverHead() }
        switch delivery {
        case .streaming(_, _, let continuation):
            continuation.yield(Data(bytes))
        case .collected(let continuation, var buffer, let limit):
            guard buffer.count + bytes.count <= limit else { return false }
            delivery = .collected(nil, buffer: Data(), limit: limit)  // keep the buffer uniquely referenced
            buffer.append(contentsOf: bytes)
            delivery = .collected(continuation, buffer: buffer, limit: limit)
        }
        return true
    }

    private func deliverHead() {
        guard !headDelivered else { return }
        headDelivered = true
        guard case .streaming(let head?, let body, let continuation) = delivery else { return }
        delivery = .streaming(head: nil, body: body, continuation: continuation)
        head.resume(returning: HTTPResponse(status: status, headers: headers, body: body))
    }

    /// The transfer ended; `error` nil for success.
    func complete(with error: TransportError?) {
        switch delivery {
        case .streaming(let head, let body, let continuation):
            if let error {
                delivery = .streaming(head: nil, body: body, continuation: continuation)
                head?.resume(throwing: error)
                continuation.finish(throwing: error)
            } else {
                deliverHead()
                continuation.finish()
            }
        case .collected(let continuation?, let buffer, let limit):
            delivery = .collected(nil, buffer: Data(), limit: limit)
            if let error {
                continuation.resume(throwing: error)
            } else {
                let (empty, finished) = AsyncThrowingStream<Data, any Error>.makeStream()
                finished.finish()
                let response = HTTPResponse(status: status, headers: headers, body: ResponseBody(stream: empty) {})
                continuation.resume(returning: (response, buffer))
            }
        case .collected(nil, _, _):
            break
        }
    }

    /// Copies streamed request-body bytes for libcurl; nil means "nothing yet, pause".
    func readUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let available = upload.count - uploadOffset
        if available == 0 {
            if uploadEnded { return 0 }
            uploadPaused = true
            return nil
        }
        let count = min(available, buffer.count)
        upload.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        if uploadOffset == upload.count {
            upload.removeAll(keepingCapacity: true)
            uploadOffset = 0
        }
        return count
    }

    /// Frees libcurl's handle and header list and drops libcurl's reference to this transfer.
    func release() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        unmanaged?.release()
        unmanaged = nil
    }
}

// MARK: C callbacks: userdata is the transfer's unretained pointer (libcurl holds the retain).

let transferHeaderCallback: tb_curl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    transfer.receivedHeaderLine(line[...])
    return length
}

let transferWriteCallback: tb_curl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    return transfer.receivedBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
}

let transferReadCallback: tb_curl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return TB_CURL_READFUNC_ABORT }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let target = UnsafeMutableRawBufferPointer(start: buffer, count: size * count)
    guard let copied = transfer.readUpload(into: target) else { return TB_CURL_READFUNC_PAUSE }
    return copied
}
