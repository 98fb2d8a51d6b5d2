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

    private static let usageMarker = Array(#""usage""#.utf8)

    /// Whether `frame` (`data: {…}\n\n`) should reach the client.
    func passes(_ frame: Data) -> Bool {
        if clientWantsUsage { return true }
        // Cheap test first: only frames that mention usage are parsed.
        guard frame.firstRange(of: Self.usageMarker) != nil else { return true }
        var payload = frame[...]
        if payload.starts(with: Array("data:".utf8)) { payload = payload.dropFirst(5) }
        guard let chunk = try? JSONParser.parse(payload), let choices = chunk["choices"]?.arrayValue else { return true }
        return !choices.isEmpty
    }
}
