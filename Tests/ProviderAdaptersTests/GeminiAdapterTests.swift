import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

@Suite struct GeminiAdapterTests {
    let adapter = GeminiAdapter()
    let endpoint = UpstreamEndpoint(baseURL: "https://generativelanguage.googleapis.com/v1beta", apiKey: "AIzaSyTestKey0123456789")

    private func encode(_ body: String, model: String = "gemini-2.5-flash", stream: Bool = false) throws -> UpstreamRequest {
        try adapter.encode(openAIBody: Data(body.utf8), upstreamModel: model, stream: stream, endpoint: endpoint)
    }

    @Test func urlsAndHeaders() throws {
        let plain = try encode(#"{"messages":[{"role":"user","content":"x"}]}"#)
        #expect(plain.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(plain.header("x-goog-api-key") == "AIzaSyTestKey0123456789")
        #expect(!plain.url.contains("AIza"))
        let stream = try encode(#"{"messages":[{"role":"user","content":"x"}]}"#, model: "models/gemini-2.5-pro", stream: true)
        #expect(stream.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")
    }

    @Test(arguments: ["", "gemini/../../x", "gemini-2.5-flash?key=x", "gemini 2"])
    func modelNamesThatWouldBreakTheURL(model: String) {
        #expect(throws: UpstreamError.self) { try encode(#"{"messages":[{"role":"user","content":"x"}]}"#, model: model) }
    }

    @Test func aRunOfUserMessagesBecomesOneTurnInOrder() throws {
        let request = try encode(#"{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":"c"},{"role":"assistant","content":"d"}]}"#)
        let contents = try JSONParser.parse(request.body)["contents"]
        #expect(contents == [
            ["role": "user", "parts": [["text": "a"], ["text": "b"], ["text": "c"]]], ["role": "model", "parts": [["text": "d"]]],
        ])
    }

    @Test func generationOptions() throws {
        let body = #"{"messages":[{"role":"user","content":"x"}],"n":2,"seed":7,"presence_penalty":0.5,"tool_choice":{"type":"function","function":{"name":"f"}},"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"}}}}"#
        let json = try JSONParser.parse(try encode(body).body)
        #expect(json["generationConfig"] == [
            "candidateCount": .int(2), "seed": .int(7), "presencePenalty": .number("0.5"),
            "responseMimeType": "application/json", "responseJsonSchema": ["type": "object"],
        ])
        #expect(json["toolConfig"] == ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["f"]]])
    }

    @Test func toolResultForAnUnknownCallIsABadRequest() {
        let body = #"{"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"nope","content":"1"}]}"#
        let error = #expect(throws: UpstreamError.self) { try encode(body) }
        #expect(error?.kind == .badRequest)
    }

    @Test func thoughtPartsAndGivenCallIDs() throws {
        let body = #"{"candidates":[{"content":{"role":"model","parts":[{"text":"plan…","thought":true},{"text":"Done."},{"functionCall":{"id":"fc-9","name":"f","args":{}}}]},"finishReason":"STOP"}]}"#
        let response = try JSONParser.parse(try adapter.decodeResponse(status: 200, headers: [], body: Data(body.utf8)).body)
        let message = try #require(response["choices"]?.arrayValue?.first?["message"])
        #expect(message["content"] == "Done.")
        #expect(message["tool_calls"]?.arrayValue?.first?["id"] == "fc-9")
    }

    @Test(arguments: [("MAX_TOKENS", "length"), ("SAFETY", "content_filter"), ("RECITATION", "content_filter"),
                      ("STOP", "stop"), ("OTHER", "stop")])
    func finishReasons(reason: String, expected: String) throws {
        let body = #"{"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":""# + reason + #""}]}"#
        let response = try JSONParser.parse(try adapter.decodeResponse(status: 200, headers: [], body: Data(body.utf8)).body)
        #expect(response["choices"]?.arrayValue?.first?["finish_reason"] == .string(expected))
    }

    @Test func severalCandidatesStream() throws {
        let events = [
            #"{"candidates":[{"content":{"parts":[{"text":"A"}]},"index":0},{"content":{"parts":[{"text":"B"}]},"index":1}]}"#,
            #"{"candidates":[{"content":{"parts":[{"text":"."}]},"finishReason":"STOP","index":0}]}"#,
            #"{"candidates":[{"content":{"parts":[]},"finishReason":"MAX_TOKENS","index":1}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4}}"#,
        ].map { "data: \($0)\n\n" }.joined()
        var decoder = adapter.makeStreamDecoder(model: "g")
        let frames = try parseFrames(try decoder.run(Array(events.utf8), .random(seed: 3)))
        let finishes = frames.compactMap { frame -> String? in
            guard let choice = frame["choices"]?.arrayValue?.first, let reason = choice["finish_reason"]?.stringValue else { return nil }
            return "\(choice["index"]?.intValue ?? -1):\(reason)"
        }
        #expect(finishes == ["0:stop", "1:length"])
        #expect(decoder.usage == Usage(promptTokens: 3, completionTokens: 4))
    }

    @Test func streamWithAnOpenCandidateIsCut() {
        var decoder = adapter.makeStreamDecoder(model: "g")
        let events = #"data: {"candidates":[{"content":{"parts":[{"text":"A"}]},"index":0}]}"# + "\n\n"
        let error = #expect(throws: UpstreamError.self) { try decoder.run(Array(events.utf8), .whole) }
        #expect(error?.kind == .malformedResponse)
    }

    @Test func blockedPromptStream() throws {
        var decoder = adapter.makeStreamDecoder(model: "g")
        let events = #"data: {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":5}}"# + "\n\n"
        let frames = try parseFrames(try decoder.run(Array(events.utf8), .whole))
        #expect(frames.count == 4)  // role, content_filter, usage, [DONE]
        #expect(frames[1]["choices"]?.arrayValue?.first?["finish_reason"] == "content_filter")
    }
}
