import struct Foundation.Data
import ExactJSON

/// Translates a Gemini `streamGenerateContent?alt=sse` stream into OpenAI chunks.
///
/// Every event is a whole `GenerateContentResponse` holding the next piece of each candidate.
/// Gemini sends no end marker: the stream has ended naturally when every candidate it opened
/// has a `finishReason` (or the prompt was blocked) and the body then ends between events.
/// Usage grows with each event and the last report wins, so the usage chunk and `[DONE]` are
/// sent from ``finish()``.
struct GeminiStreamDecoder: StreamDecoder {
    private var parser = SSEParser()
    private var header: OpenAIOutput.ChunkHeader
    private var opened: Set<Int> = []
    private var finished: Set<Int> = []
    private var toolCallsByChoice: [Int: Int] = [:]
    private var callOrdinal = 0
    private var blocked = false
    private var sawEvent = false
    private(set) var usage: Usage?

    init(model: String, created: Int) {
        header = OpenAIOutput.ChunkHeader(id: "", created: created, model: model)
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(UpstreamError) -> [Data] {
        let events = try parser.events(from: bytes)
        var output: [Data] = []
        for event in events {
            let object = try JSON.parseUpstream(event.data, what: "a Gemini stream event")
            if object["error"] != nil, object["candidates"] == nil {
                throw UpstreamErrorMapper.map(status: nil, headers: [], error: ProviderErrorBody(json: .object(object)))
            }
            let response: GeminiResponse
            do {
                response = try GeminiResponse(object)
            } catch {
                throw .malformed("a Gemini stream event: \(error)")
            }
            decode(response, into: &output)
        }
        return output
    }

    mutating func finish() throws(UpstreamError) -> [Data] {
        let ending = parser.finish()
        guard ending == .clean else { throw .malformed("the stream was cut inside an event") }
        guard blocked || (!opened.isEmpty && opened.isSubset(of: finished)) else {
            throw .malformed("the stream ended before every candidate had a finishReason")
        }
        var output: [Data] = []
        if let usage { output.append(OpenAIOutput.usageChunk(header, usage: usage)) }
        output.append(OpenAIOutput.done)
        return output
    }

    private mutating func decode(_ response: GeminiResponse, into output: inout [Data]) {
        if !sawEvent {
            sawEvent = true
            header.id = response.responseID ?? "chatcmpl-gemini"
        }
        if let reported = response.usage { usage = reported }
        for candidate in response.candidates {
            let index = candidate.index
            if opened.insert(index).inserted {
                output.append(OpenAIOutput.chunk(header, index: index, delta: OpenAIOutput.roleDelta))
            }
            guard !finished.contains(index) else { continue }
            if !candidate.text.isEmpty {
                output.append(OpenAIOutput.chunk(header, index: index, delta: OpenAIOutput.textDelta(candidate.text)))
            }
            for call in candidate.functionCalls {
                let toolIndex = toolCallsByChoice[index, default: 0]
                toolCallsByChoice[index] = toolIndex + 1
                let delta = OpenAIOutput.toolCallStart(
                    index: toolIndex, id: GeminiResponse.callID(call, ordinal: callOrdinal), name: call.name,
                    arguments: JSONWriter.string(call.args))
                callOrdinal += 1
                output.append(OpenAIOutput.chunk(header, index: index, delta: delta))
            }
            let calledFunctions = toolCallsByChoice[index, default: 0] > 0
            if let reason = GeminiResponse.finishReason(candidate.finishReason, calledFunctions: calledFunctions) {
                finished.insert(index)
                output.append(OpenAIOutput.chunk(header, index: index, delta: [:], finishReason: reason))
            }
        }
        if response.candidates.isEmpty, response.blockReason != nil, !blocked {
            blocked = true
            if opened.insert(0).inserted { output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.roleDelta)) }
            finished.insert(0)
            output.append(OpenAIOutput.chunk(header, delta: [:], finishReason: .contentFilter))
        }
    }
}
