import struct Foundation.Data
import ExactJSON

/// Builds the OpenAI objects that translated responses are delivered as: `chat.completion`,
/// `chat.completion.chunk`, `usage`, and their SSE framing. One place, so every format's
/// output has exactly the same shape.
enum OpenAIOutput {
    /// `finish_reason` values an OpenAI client understands.
    enum FinishReason: String, Sendable {
        case stop
        case length
        case toolCalls = "tool_calls"
        case contentFilter = "content_filter"
    }

    /// One choice of a complete answer.
    struct Choice: Sendable {
        var index: Int
        var text: String?
        var toolCalls: [OpenAIToolCall]
        var finishReason: FinishReason?
    }

    static func completion(id: String, created: Int, model: String, choices: [Choice], usage: Usage?) -> JSON {
        var object: JSONObject = [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(model),
        ]
        object.set("choices", .array(choices.map(choice)))
        if let usage { object.set("usage", json(usage)) }
        return .object(object)
    }

    private static func choice(_ choice: Choice) -> JSON {
        var message: JSONObject = ["role": "assistant", "content": choice.text.map(JSON.string) ?? .null]
        if !choice.toolCalls.isEmpty {
            message.set("tool_calls", .array(choice.toolCalls.map { call in
                ["id": .string(call.id), "type": "function",
                 "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
            }))
        }
        return [
            "index": .int(choice.index), "message": .object(message), "logprobs": nil,
            "finish_reason": choice.finishReason.map { .string($0.rawValue) } ?? .null,
        ]
    }

    /// OpenAI's `usage` object; `prompt_tokens` includes the cached tokens.
    static func json(_ usage: Usage) -> JSON {
        [
            "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
            "total_tokens": .int(usage.totalTokens),
            "prompt_tokens_details": ["cached_tokens": .int(usage.cachedPromptTokens)],
        ]
    }

    /// The `id`, `created` and `model` every chunk of one stream repeats.
    struct ChunkHeader: Sendable {
        var id: String
        var created: Int
        var model: String
    }

    /// A `chat.completion.chunk` with one choice whose `delta` is `delta`.
    static func chunk(_ header: ChunkHeader, index: Int = 0, delta: JSONObject, finishReason: FinishReason? = nil)
        -> Data
    {
        let choice: JSON = [
            "index": .int(index), "delta": .object(delta), "logprobs": nil,
            "finish_reason": finishReason.map { .string($0.rawValue) } ?? .null,
        ]
        return frame(chunkObject(header, choices: [choice]))
    }

    /// The last chunk `stream_options.include_usage` asks for: no choices, only usage.
    static func usageChunk(_ header: ChunkHeader, usage: Usage) -> Data {
        var object = chunkObject(header, choices: [])
        object.set("usage", json(usage))
        return frame(.object(object))
    }

    private static func chunkObject(_ header: ChunkHeader, choices: [JSON]) -> JSONObject {
        [
            "id": .string(header.id), "object": "chat.completion.chunk", "created": .int(header.created),
            "model": .string(header.model), "choices": .array(choices),
        ]
    }

    private static func frame(_ object: JSONObject) -> Data { frame(.object(object)) }

    /// `data: <json>\n\n`.
    static func frame(_ value: JSON) -> Data {
        var bytes = Array("data: ".utf8)
        JSONWriter.write(value, into: &bytes)
        bytes.append(contentsOf: [0x0A, 0x0A])
        return Data(bytes)
    }

    /// `data: <bytes>\n\n` for a chunk passed through unchanged.
    static func frame(raw: [UInt8]) -> Data {
        var data = Data("data: ".utf8)
        data.append(contentsOf: raw)
        data.append(contentsOf: [0x0A, 0x0A])
        return data
    }

    static let done = Data("data: [DONE]\n\n".utf8)

    /// A text delta; the first one of a choice also carries the role.
    static func textDelta(_ text: String) -> JSONObject { ["content": .string(text)] }

    static let roleDelta: JSONObject = ["role": "assistant", "content": ""]

    /// The first delta of a tool call: its id and name, with the arguments so far.
    static func toolCallStart(index: Int, id: String, name: String, arguments: String) -> JSONObject {
        ["tool_calls": [["index": .int(index), "id": .string(id), "type": "function",
                         "function": ["name": .string(name), "arguments": .string(arguments)]]]]
    }

    /// A later delta of a tool call: more argument text.
    static func toolCallArguments(index: Int, arguments: String) -> JSONObject {
        ["tool_calls": [["index": .int(index), "function": ["arguments": .string(arguments)]]]]
    }
}
