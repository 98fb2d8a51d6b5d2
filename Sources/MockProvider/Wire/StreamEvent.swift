/// One event of a response stream, framed for the wire, and how many content tokens it
/// carries (the server paces events by their tokens).
public struct StreamEvent: Sendable, Equatable {
    public var text: String
    public var tokens: Int

    public init(text: String, tokens: Int = 0) {
        self.text = text
        self.tokens = tokens
    }

    /// A server-sent event: `event: NAME` (when named), then `data: JSON`, then a blank line.
    static func sse(_ data: JSONValue, event: String? = nil, tokens: Int = 0, separator: String = "\n") -> StreamEvent {
        var text = ""
        if let event { text += "event: \(event)\(separator)" }
        text += "data: "
        data.write(to: &text)
        text += separator + separator
        return StreamEvent(text: text, tokens: tokens)
    }
}
