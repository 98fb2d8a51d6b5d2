import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

@Suite struct OpenAICompatibleAdapterTests {
    let adapter = OpenAICompatibleAdapter()
    let endpoint = UpstreamEndpoint(baseURL: "https://api.deepseek.com/", apiKey: "sk-test-0123456789abcdef")

    private func encode(_ body: String, stream: Bool = false, endpoint: UpstreamEndpoint? = nil) throws -> UpstreamRequest {
        try adapter.encode(openAIBody: Data(body.utf8), upstreamModel: "deepseek-chat", stream: stream, endpoint: endpoint ?? self.endpoint)
    }

    @Test func urlAndHeaders() throws {
        let request = try encode(#"{"model":"auto","messages":[]}"#)
        #expect(request.url == "https://api.deepseek.com/chat/completions")
        #expect(request.header("authorization") == "Bearer sk-test-0123456789abcdef")
        #expect(request.header("Accept") == "application/json")
        let local = try encode(#"{"messages":[]}"#, endpoint: UpstreamEndpoint(baseURL: "http://127.0.0.1:11434/v1"))
        #expect(local.header("Authorization") == nil)
        #expect(local.url == "http://127.0.0.1:11434/v1/chat/completions")
    }

    /// Everything but `model` (and the stream switches) reaches the provider as the client wrote it.
    @Test func passesEveryOtherFieldThroughInOrder() throws {
        let body = #"{"model":"auto","messages":[{"role":"user","content":"hé"}],"top_p":1.0,"seed":12345678901234567890,"x_vendor":{"b":2,"a":1e-7}}"#
        let request = try encode(body)
        #expect(String(decoding: request.body, as: UTF8.self)
            == #"{"model":"deepseek-chat","messages":[{"role":"user","content":"hé"}],"top_p":1.0,"seed":12345678901234567890,"x_vendor":{"b":2,"a":1e-7}}"#)
    }

    @Test func streamingForcesUsageAndKeepsOtherStreamOptions() throws {
        let request = try encode(#"{"messages":[],"stream_options":{"include_obfuscation":false}}"#, stream: true)
        #expect(try JSONParser.parse(request.body)
            == ["messages": [], "model": "deepseek-chat", "stream": true,
                "stream_options": ["include_obfuscation": false, "include_usage": true]])
        #expect(request.header("Accept") == "text/event-stream")
    }

    @Test func notStreamingRemovesStreamSwitches() throws {
        let request = try encode(#"{"messages":[],"stream":true,"stream_options":{"include_usage":true}}"#)
        #expect(try JSONParser.parse(request.body) == ["messages": [], "model": "deepseek-chat"])
    }

    @Test func responseBytesPassThroughUnchanged() throws {
        let body = try Fixture.data("openai/responses/chat.json")
        let response = try adapter.decodeResponse(status: 200, headers: [], body: body)
        #expect(response.body == body)
        #expect(response.usage == Usage(promptTokens: 19, completionTokens: 10))
    }

    @Test func deepSeekCacheHitTokens() throws {
        let body = #"{"choices":[],"usage":{"prompt_tokens":100,"completion_tokens":5,"prompt_cache_hit_tokens":80,"prompt_cache_miss_tokens":20}}"#
        #expect(try adapter.decodeResponse(status: 200, headers: [], body: Data(body.utf8)).usage
            == Usage(promptTokens: 100, completionTokens: 5, cachedPromptTokens: 80))
    }

    @Test func responseWithoutUsage() throws {
        #expect(try adapter.decodeResponse(status: 200, headers: [], body: Data(#"{"choices":[]}"#.utf8)).usage == nil)
    }

    @Test func errorObjectWithSuccessStatus() {
        let body = Data(#"{"error":{"message":"Rate limit exceeded","type":"rate_limit_error"}}"#.utf8)
        let error = #expect(throws: UpstreamError.self) { try adapter.decodeResponse(status: 200, headers: [], body: body) }
        #expect(error?.kind == .rateLimited)
    }

    /// A chunk spread over several `data:` lines is legal SSE; it goes out on one line.
    @Test func multiLineChunkIsReframed() throws {
        var decoder = adapter.makeStreamDecoder(model: "m")
        let stream = "data: {\"choices\":\ndata: [],\"usage\":null}\n\ndata: [DONE]\n\n"
        let frames = try decoder.run(Array(stream.utf8), .whole)
        #expect(try parseFrames(frames) == [["choices": [], "usage": nil], "[DONE]"])
        #expect(decoder.usage == nil)
    }

    @Test func nothingAfterDone() throws {
        var decoder = adapter.makeStreamDecoder(model: "m")
        let frames = try decoder.run(Array("data: [DONE]\n\ndata: {oops\n\n".utf8), .byteByByte)
        #expect(frames == [Data("data: [DONE]\n\n".utf8)])
    }
}
