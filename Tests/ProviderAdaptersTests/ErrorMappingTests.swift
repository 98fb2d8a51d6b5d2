import ExactJSON
import BrokerCore
import Foundation
import Testing

@testable import ProviderAdapters

/// One case of `Fixtures/<format>/errors.json`.
struct ErrorCase: CustomStringConvertible, Sendable {
    var format: WireFormat
    var name: String
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data
    var kind: UpstreamError.Kind
    var retryAfter: Int?
    var message: String?
    var messageExcludes: String?

    var description: String { "\(format.rawValue): \(name)" }

    static func load(_ format: WireFormat) throws -> [ErrorCase] {
        let cases = try #require(try Fixture.json("\(format.rawValue)/errors.json").arrayValue)
        return try cases.map { value in
            let object = try #require(value.objectValue)
            let body: Data
            if let text = object["bodyText"]?.stringValue {
                body = Data(text.utf8)
            } else {
                body = JSONWriter.data(try #require(object["body"]))
            }
            return ErrorCase(
                format: format, name: try object.string("name"), status: try #require(object["status"]?.intValue),
                headers: (object["headers"]?.objectValue?.members ?? []).map { ($0.key, $0.value.stringValue ?? "") },
                body: body, kind: try #require(UpstreamError.Kind(rawValue: try object.string("kind"))),
                retryAfter: object["retryAfter"]?.intValue, message: object["message"]?.stringValue,
                messageExcludes: object["messageExcludes"]?.stringValue)
        }
    }

    static var all: [ErrorCase] {
        (try? WireFormat.allCases.flatMap(load)) ?? []
    }
}

@Suite struct ErrorMappingTests {
    @Test func everyFormatHasErrorFixtures() throws {
        for format in WireFormat.allCases { #expect(try ErrorCase.load(format).count >= 10, "\(format)") }
    }

    @Test(arguments: ErrorCase.all)
    func mapsDocumentedErrorBodies(_ errorCase: ErrorCase) throws {
        let adapter = ProviderAdapters.adapter(for: errorCase.format)
        let error = adapter.mapError(status: errorCase.status, headers: errorCase.headers, body: errorCase.body)
        #expect(error.kind == errorCase.kind)
        #expect(error.status == errorCase.status)
        #expect(error.retryAfterSeconds == errorCase.retryAfter)
        #expect(!error.message.isEmpty)
        if let message = errorCase.message { #expect(error.message == message) }
        if let excluded = errorCase.messageExcludes { #expect(!error.message.contains(excluded)) }
        // decodeResponse reports a non-2xx status as the same error.
        #expect(throws: error) {
            try adapter.decodeResponse(status: errorCase.status, headers: errorCase.headers, body: errorCase.body)
        }
    }

    /// Every kind the mapper can produce from a status is produced, for every format.
    @Test(arguments: WireFormat.allCases)
    func everyStatusKind(format: WireFormat) {
        let adapter = ProviderAdapters.adapter(for: format)
        let expected: [Int: UpstreamError.Kind] = [
            400: .badRequest, 401: .authentication, 402: .permission, 403: .permission, 404: .notFound,
            408: .timeout, 409: .badRequest, 413: .badRequest, 422: .badRequest, 429: .rateLimited,
            500: .serverError, 502: .serverError, 503: .overloaded, 504: .timeout, 529: .overloaded,
            599: .serverError, 302: .malformedResponse,
        ]
        for (status, kind) in expected {
            #expect(adapter.mapError(status: status, headers: [], body: Data()).kind == kind, "\(status)")
            #expect(adapter.mapError(status: status, headers: [], body: Data("garbage {".utf8)).kind == kind, "\(status)")
        }
    }

    @Test func retryability() {
        let retryable: Set<UpstreamError.Kind> = [
            .connectionFailure, .timeout, .overloaded, .rateLimited, .serverError, .malformedResponse, .localResources,
        ]
        for kind in UpstreamError.Kind.allCases {
            #expect(UpstreamError(kind: kind, message: "").isRetryable == retryable.contains(kind), "\(kind)")
        }
    }

    @Test func keysAreRedactedFromMessages() {
        let body = Data(#"{"error":{"message":"Incorrect API key provided: sk-abc123def456ghi789. Bearer xyz0123456789abc","type":"invalid_request_error","code":"invalid_api_key"}}"#.utf8)
        let error = UpstreamErrorMapper.map(status: 401, headers: [], body: body)
        #expect(!error.message.contains("sk-abc123"))
        #expect(!error.message.contains("xyz0123456789"))
        #expect(error.message.contains("[redacted]"))
        let custom = UpstreamError(kind: .badRequest, message: "echo: my-own-secret-key").redacting("my-own-secret-key")
        #expect(custom.message == "echo: [redacted]")
        // Short words after a prefix are not keys.
        #expect(UpstreamError(kind: .badRequest, message: "use sk-x here").message == "use sk-x here")
    }

    @Test func longMessagesAreShortened() {
        let error = UpstreamErrorMapper.map(status: 500, headers: [], body: Data(String(repeating: "x", count: 5_000).utf8))
        #expect(error.message.count <= SecretRedactor.maxLength + 1)
    }

    @Test func errorEventsInsideStreams() throws {
        var anthropic = AnthropicAdapter().makeStreamDecoder(model: "m")
        let overloaded = #"event: error"# + "\n" + #"data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"# + "\n\n"
        #expect(throws: UpstreamError(kind: .overloaded, message: "Overloaded")) { try anthropic.feed(Array(overloaded.utf8)) }

        var gemini = GeminiAdapter().makeStreamDecoder(model: "m")
        let exhausted = #"data: {"error": {"code": 429, "message": "Resource exhausted", "status": "RESOURCE_EXHAUSTED"}}"# + "\n\n"
        let geminiError = #expect(throws: UpstreamError.self) { try gemini.feed(Array(exhausted.utf8)) }
        #expect(geminiError?.kind == .rateLimited)

        var openai = OpenAICompatibleAdapter().makeStreamDecoder(model: "m")
        let failure = #"data: {"error": {"message": "The server had an error", "type": "server_error"}}"# + "\n\n"
        let openAIError = #expect(throws: UpstreamError.self) { try openai.feed(Array(failure.utf8)) }
        #expect(openAIError?.kind == .serverError)
    }
}

@Suite struct RetryAfterTests {
    @Test func httpDates() {
        #expect(HTTPDate.unixSeconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.unixSeconds("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.unixSeconds("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.unixSeconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.unixSeconds("Tue, 29 Feb 2028 23:59:60 GMT") == 1_835_481_600)
        for invalid in ["", "tomorrow", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                        "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT", "06 Nov 99999 08:49:37"] {
            #expect(HTTPDate.unixSeconds(invalid) == nil, "\(invalid)")
        }
    }

    @Test func headerValues() {
        #expect(RetryAfter.seconds(headerValue: "120", now: nil) == 120)
        #expect(RetryAfter.seconds(headerValue: " 0 ", now: nil) == 0)
        #expect(RetryAfter.seconds(headerValue: "99999999999999999999999", now: nil) == RetryAfter.maxSeconds)
        #expect(RetryAfter.seconds(headerValue: "-5", now: nil) == nil)
        #expect(RetryAfter.seconds(headerValue: "soon", now: nil) == nil)
        let date = "Wed, 21 Oct 2015 07:28:00 GMT"
        let now = HTTPDate.unixSeconds(date) ?? 0
        #expect(RetryAfter.seconds(headerValue: date, now: now - 45) == 45)
        #expect(RetryAfter.seconds(headerValue: date, now: now + 45) == 0)  // already past
        #expect(RetryAfter.seconds(headerValue: date, now: nil) == nil)  // no clock to compare with
    }

    @Test func headersInPriorityOrder() {
        #expect(RetryAfter.seconds(in: [("Retry-After", "3")]) == 3)
        #expect(RetryAfter.seconds(in: [("retry-after-ms", "250"), ("retry-after", "3")]) == 1)
        #expect(RetryAfter.seconds(in: [("retry-after-ms", "oops"), ("retry-after", "3")]) == 3)
        #expect(RetryAfter.seconds(in: [("X-Other", "3")]) == nil)
    }

    @Test func protobufDurations() {
        #expect(RetryAfter.seconds(duration: "22s") == 22)
        #expect(RetryAfter.seconds(duration: "0.2s") == 1)
        #expect(RetryAfter.seconds(duration: "1.000000001s") == 2)
        #expect(RetryAfter.seconds(duration: "0s") == 0)
        #expect(RetryAfter.seconds(duration: "22") == nil)
        #expect(RetryAfter.seconds(duration: "-3s") == nil)
        #expect(RetryAfter.seconds(duration: "nans") == nil)
    }
}
