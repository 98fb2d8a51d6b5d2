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

    /// Unescaped, these bytes can only be a member of the chunk itself (inside a JSON string
    /// the quotes would be escaped). Every chunk carries `"usage"` once usage is asked for, so
    /// that is no cheap test; an empty `choices` is.
    private static let emptyChoices = [Array(#""choices":[]"#.utf8), Array(#""choices": []"#.utf8)]

    /// Whether `frame` (`data: {…}\n\n`) should reach the client.
    func passes(_ frame: Data) -> Bool {
        if clientWantsUsage { return true }
        // Only a frame with an empty `choices` is parsed, to be sure.
        guard Self.emptyChoices.contains(where: { Self.frame(frame, contains: $0) }) else { return true }
        var payload = frame[...]
        if payload.starts(with: Array("data:".utf8)) { payload = payload.dropFirst(5) }
        guard let chunk = try? JSONParser.parse(payload), let choices = chunk["choices"]?.arrayValue else { return true }
        return !choices.isEmpty
    }

    /// A plain byte search (memchr for the first byte, then memcmp): Foundation's generic
    /// `Data.firstRange(of:)` cost more than everything else done to a streamed frame.
    static func frame(_ frame: Data, contains needle: [UInt8]) -> Bool {
        guard let head = needle.first, needle.count <= frame.count else { return false }
        return frame.withUnsafeBytes { (haystack: UnsafeRawBufferPointer) -> Bool in
            guard let base = haystack.baseAddress else { return false }
            let lastStart = haystack.count - needle.count
            var offset = 0
            while offset <= lastStart {
                guard let found = memchr(base + offset, Int32(head), lastStart - offset + 1) else { return false }
                let position = base.distance(to: UnsafeRawPointer(found))
                if memcmp(found, needle, needle.count) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }
}
