import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProvider
import Testing

@Suite("Gemini generateContent")
struct GeminiFormatTests {
    let generate = "/v1beta/models/gemini-2.0-flash:generateContent"
    let stream = "/v1beta/models/gemini-2.0-flash:streamGenerateContent"

    @Test func responseHasCandidatesAndUsageMetadata() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 2}"#)) { client, _ in
            let body = geminiBody()
            let response = try await client.post(generate, body)
            #expect(response.status == .ok)
            let json = try response.json()
            let candidate = try #require(json["candidates"]?[0])
            #expect(candidate["content"]?["role"] == "model")
            #expect(candidate["content"]?["parts"] == [["text": "The mock"]])
            #expect(candidate["finishReason"] == "STOP")
            let prompt = ChatRequest.estimatePromptTokens(bodyBytes: body.utf8.count)
            #expect(json["usageMetadata"]?["promptTokenCount"] == .int(prompt))
            #expect(json["usageMetadata"]?["candidatesTokenCount"] == 2)
            #expect(json["usageMetadata"]?["totalTokenCount"] == .int(prompt + 2))
            #expect(json["modelVersion"] == "gemini-2.0-flash")
        }
    }

    @Test func maxOutputTokensStopsWithMaxTokens() async throws {
        try await withMock { client, _ in
            let json = try await client.post(generate, geminiBody(extra: #","generationConfig":{"maxOutputTokens":1}"#)).json()
            #expect(json["candidates"]?[0]?["finishReason"] == "MAX_TOKENS")
            #expect(json["usageMetadata"]?["candidatesTokenCount"] == 1)
        }
    }

    @Test func sseStreamIsDataLinesOfResponses() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 3}"#)) { client, _ in
            let response = try await client.post(stream + "?alt=sse", geminiBody())
            #expect(response.headers[.contentType] == "text/event-stream")
            #expect(response.text.hasPrefix("data: {"))
            #expect(response.text.contains("\r\n\r\n"))
            let chunks = try response.events.map { try $0.json() }
            #expect(chunks.count == 3)
            let text = chunks.compactMap { $0["candidates"]?[0]?["content"]?["parts"]?[0]?["text"]?.stringValue }.joined()
            #expect(text == "The mock provider")
            #expect(chunks[0]["candidates"]?[0]?["finishReason"] == nil)
            #expect(chunks[2]["candidates"]?[0]?["finishReason"] == "STOP")
            #expect(chunks.map { $0["usageMetadata"]?["candidatesTokenCount"] } == [1, 2, 3])
        }
    }

    @Test func streamWithoutAltIsOneJSONArray() async throws {
        try await withMock(configuration(default: #"{"response_tokens": 2}"#)) { client, _ in
            let response = try await client.post(stream, geminiBody())
            #expect(response.headers[.contentType] == "application/json")
            let array = try response.json()
            #expect(array.count == 2)
            #expect(array[1]?["candidates"]?[0]?["finishReason"] == "STOP")
        }
    }

    @Test func functionCallWhenConfigured() async throws {
        let tools = #","tools":[{"functionDeclarations":[{"name":"get_weather","parameters":\#(weatherSchema)}]}]"#
        try await withMock(configuration(models: ["gemini-2.0-flash": #"{"tool_call": true}"#])) { client, _ in
            let json = try await client.post(generate, geminiBody(extra: tools)).json()
            let part = try #require(json["candidates"]?[0]?["content"]?["parts"]?[0])
            #expect(part["functionCall"]?["name"] == "get_weather")
            #expect(part["functionCall"]?["args"]?["city"] == "mock")

            let chunks = try await client.post(stream + "?alt=sse", geminiBody(extra: tools)).events.map { try $0.json() }
            #expect(chunks.count == 1)
            #expect(chunks[0]["candidates"]?[0]?["content"]?["parts"]?[0]?["functionCall"]?["name"] == "get_weather")

            // Another model keeps the default: text.
            let other = try await client.post("/v1beta/models/gemini-pro:generateContent", geminiBody(extra: tools)).json()
            #expect(other["candidates"]?[0]?["content"]?["parts"]?[0]?["text"] != nil)
        }
    }

    @Test func snakeCaseToolConfigIsRead() async throws {
        let tools = #","tools":[{"function_declarations":[{"name":"a"},{"name":"b"}]}],"tool_config":{"function_calling_config":{"mode":"ANY","allowed_function_names":["b"]}}"#
        try await withMock { client, _ in
            let json = try await client.post(generate, geminiBody(extra: tools)).json()
            #expect(json["candidates"]?[0]?["content"]?["parts"]?[0]?["functionCall"]?["name"] == "b")
        }
    }

    @Test(arguments: [
        ("server_error", 500, "INTERNAL"), ("overloaded", 503, "UNAVAILABLE"), ("rate_limited", 429, "RESOURCE_EXHAUSTED"),
    ])
    func configuredErrorsHaveGooglesShape(error: String, status: Int, code: String) async throws {
        try await withMock(configuration(default: #"{"error": "\#(error)", "retry_after_seconds": 4}"#)) { client, _ in
            let response = try await client.post(generate, geminiBody())
            #expect(response.status.code == status)
            let json = try response.json()
            #expect(json["error"]?["code"] == .int(status))
            #expect(json["error"]?["status"] == .string(code))
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
            if status == 429 {
                #expect(response.headers[.retryAfter] == "4")
                #expect(json["error"]?["details"]?[0]?["retryDelay"] == "4s")
            }
        }
    }

    @Test(arguments: ["", "{}", #"{"contents":[]}"#, #"{"contents":"hi"}"#, "[1,2"])
    func malformedBodiesGet400InGooglesShape(body: String) async throws {
        try await withMock { client, _ in
            let response = try await client.post(generate, body)
            #expect(response.status == .badRequest)
            #expect(try response.json()["error"]?["status"] == "INVALID_ARGUMENT")
        }
    }

    @Test func requiredKeyIsReadFromTheHeaderOrTheQuery() async throws {
        try await withMock(configuration(apiKey: "AIza-mock")) { client, _ in
            let missing = try await client.post(generate, geminiBody())
            #expect(missing.status == .unauthorized)
            #expect(try missing.json()["error"]?["status"] == "UNAUTHENTICATED")
            let header = try await client.post(generate, geminiBody(), headers: [HTTPField.Name("x-goog-api-key")!: "AIza-mock"])
            #expect(header.status == .ok)
            let query = try await client.post(generate + "?key=AIza-mock", geminiBody())
            #expect(query.status == .ok)
        }
    }
}
