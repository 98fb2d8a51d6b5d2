import struct Foundation.Data
import ExactJSON

/// Translates an Anthropic Messages event stream into OpenAI chunks as the events arrive.
///
/// `message_start` opens the answer (its usage holds the input tokens), text and tool-input
/// deltas become content and `tool_calls` deltas, `message_delta` carries the stop reason and
/// the output tokens, and `message_stop` — the natural end — closes it with the finish chunk,
/// the usage chunk and `[DONE]`. An `error` event is thrown as the error it names.
struct AnthropicStreamDecoder: StreamDecoder {
    private enum Block {
        case text
        case tool(index: Int)
        case other
    }

    private var parser = SSEParser()
    private var header: OpenAIOutput.ChunkHeader
    private var started = false
    private var done = false
    private var blocks: [Int: Block] = [:]
    private var toolCount = 0
    private var stopReason: String?
    private(set) var usage: Usage?

    init(model: String, created: Int) {
        header = OpenAIOutput.ChunkHeader(id: "", created: created, model: model)
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(UpstreamError) -> [Data] {
        guard !done else { return [] }
        let events = try parser.events(from: bytes)
        var output: [Data] = []
        for event in events where !done {
            let object = try JSON.parseUpstream(event.data, what: "an Anthropic stream event")
            let reported: UpstreamError?
            do {
                reported = try decode(object, into: &output)
            } catch {
                throw .malformed("an Anthropic stream event: \(error)")
            }
            if let reported { throw reported }
        }
        return output
    }

    mutating func finish() throws(UpstreamError) -> [Data] {
        let ending = parser.finish()
        guard done else {
            throw .malformed(ending == .midEvent ? "the stream was cut inside an event" : "the stream ended before message_stop")
        }
        return []
    }

    /// Appends the chunks `event` produces; returns the error the provider reported in it, if any.
    private mutating func decode(_ event: JSONObject, into output: inout [Data]) throws(JSONShapeError) -> UpstreamError? {
        let type = try event.string("type")
        if type == "error" { return UpstreamErrorMapper.map(status: nil, headers: [], error: ProviderErrorBody(json: .object(event))) }
        if type == "ping" { return nil }
        guard started || type == "message_start" else { throw JSONShapeError(description: "`\(type)` before message_start") }
        switch type {
        case "message_start":
            guard !started else { throw JSONShapeError(description: "a second message_start") }
            let message = try event.object("message")
            header.id = try message.string("id")
            usage = try AnthropicMessage.usage(try message.optionalObject("usage") ?? [:])
            started = true
            output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.roleDelta))
        case "content_block_start":
            let index = try event.optionalInt("index") ?? blocks.count
            let block = try event.object("content_block")
            switch try block.string("type") {
            case "text":
                blocks[index] = .text
                let text = try block.optionalString("text") ?? ""
                if !text.isEmpty { output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.textDelta(text))) }
            case "tool_use":
                blocks[index] = .tool(index: toolCount)
                output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.toolCallStart(
                    index: toolCount, id: try block.string("id"), name: try block.string("name"), arguments: "")))
                toolCount += 1
            default:
                blocks[index] = .other
            }
        case "content_block_delta":
            let index = try event.optionalInt("index") ?? 0
            let delta = try event.object("delta")
            switch (blocks[index], try delta.string("type")) {
            case (.text?, "text_delta"):
                output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.textDelta(try delta.string("text"))))
            case (.tool(let toolIndex)?, "input_json_delta"):
                let json = try delta.string("partial_json")
                if !json.isEmpty {
                    output.append(OpenAIOutput.chunk(header, delta: OpenAIOutput.toolCallArguments(index: toolIndex, arguments: json)))
                }
            case (nil, _): throw JSONShapeError(description: "a delta for block \(index), which was never started")
            default: break  // thinking, signature and citation deltas have no OpenAI form
            }
        case "message_delta":
            if let delta = try event.optionalObject("delta"), let reason = try delta.optionalString("stop_reason") {
                stopReason = reason
            }
            if let reported = try event.optionalObject("usage") { usage = try AnthropicMessage.usage(reported, base: usage) }
        case "message_stop":
            done = true
            let finish = AnthropicMessage.finishReason(stopReason) ?? .stop
            output.append(OpenAIOutput.chunk(header, delta: [:], finishReason: finish))
            if let usage { output.append(OpenAIOutput.usageChunk(header, usage: usage)) }
            output.append(OpenAIOutput.done)
        default:
            break  // content_block_stop, and event types added after this was written
        }
        return nil
    }
}
