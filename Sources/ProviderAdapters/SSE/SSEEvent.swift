import ExactJSON
/// One dispatched server-sent event (WHATWG HTML, "Server-sent events", §9.2.6).
struct SSEEvent: Sendable, Equatable, CustomStringConvertible {
    /// The `event:` field; `message` when the event had none, as the specification says.
    var type: String
    /// The `data:` lines joined with `\n`, as bytes: the decoders parse JSON straight from them.
    var data: [UInt8]
    /// The last `id:` seen in the stream so far, if any.
    var id: String?
    /// The `retry:` field of this event, in milliseconds.
    var retry: Int?

    init(type: String = "message", data: [UInt8], id: String? = nil, retry: Int? = nil) {
        self.type = type
        self.data = data
        self.id = id
        self.retry = retry
    }

    init(type: String = "message", text: String, id: String? = nil, retry: Int? = nil) {
        self.init(type: type, data: Array(text.utf8), id: id, retry: retry)
    }

    var text: String { String(decoding: data, as: UTF8.self) }

    var description: String { "SSEEvent(\(type): \(text))" }
}
