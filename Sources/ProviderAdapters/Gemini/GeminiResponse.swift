import ExactJSON
/// A Gemini `GenerateContentResponse` — a whole answer, or one chunk of a stream, which has
/// the same shape — read into what OpenAI's shapes need.
struct GeminiResponse: Sendable {
    struct FunctionCall: Sendable {
        /// Recent models send an id; older ones none, and the decoders number the calls.
        var id: String?
        var name: String
        var args: JSON
    }

    struct Candidate: Sendable {
        var index: Int
        var text: String
        var functionCalls: [FunctionCall]
        var finishReason: String?
    }

    var candidates: [Candidate]
    var usage: Usage?
    var modelVersion: String?
    var responseID: String?
    /// `promptFeedback.blockReason`: the prompt itself was refused, and there are no candidates.
    var blockReason: String?

    init(_ object: JSONObject) throws(JSONShapeError) {
        candidates = []
        for (position, candidate) in try object.objects("candidates").enumerated() {
            var texts: [String] = []
            var calls: [FunctionCall] = []
            for part in try candidate.optionalObject("content")?.objects("parts") ?? [] {
                if try part.optionalBool("thought") == true { continue }  // thinking summaries are not the answer
                if let text = try part.optionalString("text") { texts.append(text) }
                if let call = try part.optionalObject("functionCall") {
                    let args = call["args"] ?? [:]
                    guard args.objectValue != nil || args.isNull else {
                        throw JSONShapeError(description: "functionCall `args` must be an object")
                    }
                    calls.append(FunctionCall(id: try call.optionalString("id"), name: try call.string("name"),
                                              args: args.isNull ? [:] : args))
                }
            }
            let reason = try candidate.optionalString("finishReason")
            candidates.append(Candidate(
                index: try candidate.optionalInt("index") ?? position, text: texts.joined(), functionCalls: calls,
                finishReason: reason == "FINISH_REASON_UNSPECIFIED" ? nil : reason))
        }
        usage = try object.optionalObject("usageMetadata").map { metadata throws(JSONShapeError) in try Self.usage(metadata) }
        modelVersion = try object.optionalString("modelVersion")
        responseID = try object.optionalString("responseId")
        blockReason = try object.optionalObject("promptFeedback")?.optionalString("blockReason")
    }

    /// Gemini's `promptTokenCount` already includes the cached tokens; thinking tokens are
    /// billed as output, so they count as completion tokens as OpenAI's reasoning tokens do.
    static func usage(_ metadata: JSONObject) throws(JSONShapeError) -> Usage {
        let prompt = try metadata.optionalTokenCount("promptTokenCount") ?? 0
        let candidates = try metadata.optionalTokenCount("candidatesTokenCount") ?? 0
        let thoughts = try metadata.optionalTokenCount("thoughtsTokenCount") ?? 0
        let cached = try metadata.optionalTokenCount("cachedContentTokenCount") ?? 0
        return Usage(promptTokens: prompt, completionTokens: candidates + thoughts, cachedPromptTokens: cached)
    }

    /// `finishReason` as an OpenAI `finish_reason`; a turn that called functions finished to
    /// have them run, whatever Gemini calls it.
    static func finishReason(_ reason: String?, calledFunctions: Bool) -> OpenAIOutput.FinishReason? {
        guard let reason else { return nil }
        switch reason {
        case "MAX_TOKENS": return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE":
            return .contentFilter
        default: return calledFunctions ? .toolCalls : .stop  // STOP, OTHER, MALFORMED_FUNCTION_CALL, …
        }
    }

    /// The id of the `ordinal`-th function call of a response, when Gemini gave it none.
    static func callID(_ call: FunctionCall, ordinal: Int) -> String { call.id ?? "call_\(ordinal)" }

    func completion(created: Int, fallbackID: String) -> JSON {
        var ordinal = 0
        var choices: [OpenAIOutput.Choice] = candidates.map { candidate in
            let calls = candidate.functionCalls.map { call in
                defer { ordinal += 1 }
                return OpenAIToolCall(id: Self.callID(call, ordinal: ordinal), name: call.name,
                                      arguments: JSONWriter.string(call.args))
            }
            return OpenAIOutput.Choice(
                index: candidate.index, text: candidate.text.isEmpty && !calls.isEmpty ? nil : candidate.text,
                toolCalls: calls,
                finishReason: Self.finishReason(candidate.finishReason, calledFunctions: !calls.isEmpty) ?? .stop)
        }
        if choices.isEmpty, blockReason != nil {
            choices = [OpenAIOutput.Choice(index: 0, text: nil, toolCalls: [], finishReason: .contentFilter)]
        }
        return OpenAIOutput.completion(id: responseID ?? fallbackID, created: created, model: modelVersion ?? "",
                                       choices: choices, usage: usage)
    }
}
