public import Hummingbird
public import HummingbirdCore
public import Logging
public import NIOCore

/// The mock provider's routes: every provider path at the provider's own URL, and the
/// control endpoint under `/_mock/`.
///
/// | path | format |
/// | --- | --- |
/// | `POST /v1/chat/completions` | OpenAI |
/// | `POST /v1/messages` | Anthropic |
/// | `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent[?alt=sse]` (also under `/v1/`) | Gemini |
public func buildMockRouter(state: MockState) -> Router<BasicRequestContext> {
    let router = Router()
    let openAI = ProviderEndpoint<OpenAIFormat>(state: state, path: "/v1/chat/completions")
    router.post("/v1/chat/completions") { request, _ in
        try await openAI.respond(OpenAIFormat(), to: request)
    }
    let anthropic = ProviderEndpoint<AnthropicFormat>(state: state, path: "/v1/messages")
    router.post("/v1/messages") { request, _ in
        try await anthropic.respond(AnthropicFormat(), to: request)
    }
    for version in ["v1beta", "v1"] {
        let generate = ProviderEndpoint<GeminiFormat>(state: state, path: "/\(version)/models/{model}:generateContent")
        router.post("/\(version)/models/{model}:generateContent") { request, context in
            try await generate.respond(GeminiFormat(streaming: false), to: request, modelInPath: try context.parameters.require("model"))
        }
        let stream = ProviderEndpoint<GeminiFormat>(state: state, path: "/\(version)/models/{model}:streamGenerateContent")
        router.post("/\(version)/models/{model}:streamGenerateContent") { request, context in
            let format = GeminiFormat(streaming: true, serverSentEvents: request.uri.queryParameters["alt"] == "sse")
            return try await stream.respond(format, to: request, modelInPath: try context.parameters.require("model"))
        }
    }
    ControlEndpoint(state: state).register(on: router)
    return router
}

/// The mock provider as a Hummingbird application listening on `address`.
///
/// ```swift
/// let app = buildMockApplication(state: MockState(configuration: config), address: .hostname("127.0.0.1", port: 0)) { channel in
///     print("listening on \(channel.localAddress!)")
/// }
/// try await app.runService()
/// ```
/// - Parameters:
///   - state: the configuration and counts, shared with whoever drives the mock in-process.
///   - address: where to listen; port 0 picks a free port (read it in `onServerRunning`).
///   - logger: the server's logger (default: warnings only, so requests cost no logging).
///   - onServerRunning: called once the server is bound and accepting.
public func buildMockApplication(
    state: MockState,
    address: BindAddress,
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var defaultLogger = Logger(label: "tokenbroker-mock")
    defaultLogger.logLevel = .warning
    return Application(
        router: buildMockRouter(state: state),
        // A deep accept queue: a gateway under test opens hundreds of connections at once.
        configuration: .init(address: address, serverName: "tokenbroker-mock", backlog: 4096),
        onServerRunning: onServerRunning,
        logger: logger ?? defaultLogger
    )
}
