import BrokerFixtures
import CurlTransport
import Foundation

/// Talks to a running `tokenbroker-mock`'s control endpoint through the transport under test.
extension MockProviderProcess {
    /// Sets one model's behaviour (`docs/mock.md`), e.g. `["error": "overloaded"]`.
    func configure(_ model: String, _ behaviour: [String: Any], transport: CurlTransport) async throws {
        let body = try JSONSerialization.data(withJSONObject: behaviour)
        let (response, _) = try await transport.data(
            for: HTTPRequest(method: "PUT", url: "\(baseURL)/_mock/models/\(model)", body: .bytes(body)))
        guard response.status == 200 else { throw ChildProcessError(message: "mock refused behaviour for \(model)") }
    }

    func stats(transport: CurlTransport) async throws -> [String: Any] {
        let (_, body) = try await transport.data(for: HTTPRequest(url: "\(baseURL)/_mock/stats"))
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }
}

/// One mock for the whole test run: tests use distinct model names so they never share behaviour.
enum SharedMock {
    static let process: Result<MockProviderProcess, any Error> = Result { try MockProviderProcess() }
    static func get() throws -> MockProviderProcess { try process.get() }
}

/// An OpenAI chat-completions body, as a client would send it.
func chatBody(
    model: String = "auto", _ text: String = "Say hello.", stream: Bool = false, maxTokens: Int? = nil,
    tools: Bool = false, extraMessages: [[String: Any]] = []
) -> Data {
    var body: [String: Any] = [
        "model": model, "messages": [["role": "user", "content": text]] + extraMessages, "stream": stream,
    ]
    if let maxTokens { body["max_tokens"] = maxTokens }
    if tools {
        body["tools"] = [[
            "type": "function",
            "function": [
                "name": "get_weather", "description": "Weather for a city",
                "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
            ],
        ]]
    }
    return try! JSONSerialization.data(withJSONObject: body)
}
