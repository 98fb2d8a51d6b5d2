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
    /// The errno of a socket libcurl could not open for this transfer (0: none failed).
    let socketErrno: UnsafeMutablePointer<Int32> = {
        let slot = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        slot.initialize(to: 0)
        return slot
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
        socketErrno.deallocate()
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

    /// One raw header line from libcurl, parsed as bytes: this runs for every header of
    /// every response on the transport thread.
    func receivedHeaderLine(_ line: UnsafeRawBufferPointer) {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D || line[end - 1] == 0x20 { end -= 1 }
        if end == 0 {
            if status >= 200 { deliverHead() }
            return
        }
        if end > 5, line[0] == 0x48, line[1] == 0x54, line[2] == 0x54, line[3] == 0x50, line[4] == 0x2F {  // "HTTP/"
            // A new response block: 1xx interim responses and redirects start over.
            var index = 5
            while index < end, line[index] != 0x20 { index += 1 }
            while index < end, line[index] == 0x20 { index += 1 }
            var code = 0
            while index < end, line[index] >= 0x30, line[index] <= 0x39, code < 1_000 {
                code = code * 10 + Int(line[index] - 0x30)
                index += 1
            }
            status = code
            headers = []
            return
        }
        guard let colon = line[0..<end].firstIndex(of: 0x3A) else { return }
        var valueStart = colon + 1
        while valueStart < end, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        var nameEnd = colon
        while nameEnd > 0, line[nameEnd - 1] == 0x20 { nameEnd -= 1 }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<nameEnd]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<end]), as: UTF8.self)
        headers.append((name, value))
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

    /// Frees the header list, drops libcurl's reference, and hands back the easy handle
    /// (already removed from the multi handle) for reuse; the caller owns it from then on.
    func release() -> UnsafeMutableRawPointer? {
        let handle = easy
        easy = nil
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        unmanaged?.release()
        unmanaged = nil
        return handle
    }
}

// MARK: C callbacks: userdata is the transfer's unretained pointer (libcurl holds the retain).

let transferHeaderCallback: tb_curl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    transfer.receivedHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
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
