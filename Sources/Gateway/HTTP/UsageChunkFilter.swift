import ExactJSON
import Foundation

/// Keeps the usage-only chunk (`"choices": []`) out of streams whose client did not ask for
/// it. The adapters ask every provider for usage (it is what the decision log bills), but
/// OpenAI sends that last chunk only with `stream_options.include_usage`, and clients written
/// for OpenAI index `choices[0]` on every chunk.
struct UsageChunkFilter: Sendable {
    let clientWantsUsage: Bool

    init(request: JSON) {
        clientWantsUsage = request["stream_options"]?["include_usage"]?.boolValue == true
    }

    /// Unescaped, these bytes can only be a member name in the chunk itself (inside a JSON
    /// string the quotes would be escaped). Every chunk carries `"usage"` once usage is asked
    /// for, so that is no cheap test; an empty `choices` is.
    private static let choicesKey = Array(#""choices""#.utf8)

    /// Whether `frame` (`data: {…}\n\n`) should reach the client.
    func passes(_ frame: Data) -> Bool {
        if clientWantsUsage { return true }
        // Only a frame with an empty `choices` somewhere is parsed, to be sure it is the chunk's own.
        guard Self.mentionsEmptyChoices(frame) else { return true }
        var payload = frame[...]
        if payload.starts(with: Array("data:".utf8)) { payload = payload.dropFirst(5) }
        guard let chunk = try? JSONParser.parse(payload), let choices = chunk["choices"]?.arrayValue else { return true }
        return !choices.isEmpty
    }

    /// Whether `"choices"` is followed by an empty array anywhere in `frame`, with any JSON
    /// whitespace around the colon and inside the brackets (`"choices" : [ ]` too).
    static func mentionsEmptyChoices(_ frame: Data) -> Bool {
        frame.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var from = 0
            while let found = firstOffset(of: choicesKey, in: bytes, from: from) {
                var index = found + choicesKey.count
                func skipWhitespace() {
                    while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                        index += 1
                    }
                }
                /// Skips whitespace, then `byte`; false when something else comes first.
                func expect(_ byte: UInt8) -> Bool {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == byte else { return false }
                    index += 1
                    return true
                }
                if expect(0x3A), expect(0x5B), expect(0x5D) { return true }  // : [ ]
                from = found + 1
            }
            return false
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `from`. A plain byte search (memchr
    /// for the first byte, then memcmp): Foundation's generic `Data.firstRange(of:)` cost more
    /// than everything else done to a streamed frame.
    static func firstOffset(of needle: [UInt8], in haystack: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let head = needle.first, let base = haystack.baseAddress, needle.count <= haystack.count else { return nil }
        let lastStart = haystack.count - needle.count
        var offset = from
        while offset <= lastStart {
            guard let found = memchr(base + offset, Int32(head), lastStart - offset + 1) else { return nil }
            if memcmp(found, needle, needle.count) == 0 { return base.distance(to: UnsafeRawPointer(found)) }
            offset = base.distance(to: UnsafeRawPointer(found)) + 1
        }
        return nil
    }
}
