public import struct Foundation.Data

/// A finished, non-streaming upstream answer, already in OpenAI's shape.
public struct ChatResponse: Sendable {
    /// An OpenAI `chat.completion` object, ready to send to the client.
    public var body: Data
    /// What the provider reported; nil when it reported nothing (some self-hosted servers).
    public var usage: Usage?

    public init(body: Data, usage: Usage?) {
        self.body = body
        self.usage = usage
    }
}
