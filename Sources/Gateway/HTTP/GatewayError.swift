import ExactJSON
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error as the client sees it: OpenAI's error JSON with the right status, so the
/// official SDKs raise their usual exception types (`AuthenticationError`, `NotFoundError`…).
///
/// ```json
/// {"error": {"message": "…", "type": "invalid_request_error", "param": "messages", "code": null}}
/// ```
struct GatewayError: Error, Sendable {
    var status: HTTPResponse.Status
    var type: String
    var code: String?
    var param: String?
    var message: String
    /// Extra members of the `error` object (the 422's exclusion list).
    var details: [(String, JSON)] = []
    var retryAfterSeconds: Int?

    static func invalidRequest(_ message: String, param: String? = nil) -> GatewayError {
        GatewayError(status: .badRequest, type: "invalid_request_error", code: nil, param: param, message: message)
    }

    static func unauthorized(_ message: String) -> GatewayError {
        GatewayError(status: .unauthorized, type: "invalid_request_error", code: "invalid_api_key", param: nil, message: message)
    }

    /// A client's value as an error message quotes it: its first 100 characters, so a
    /// megabyte `model` does not come back as a megabyte error.
    static func excerpt(_ text: String) -> String {
        text.count <= 100 ? text : text.prefix(100) + "… (\(text.utf8.count) bytes)"
    }

    static func notFound(_ message: String, param: String? = "model") -> GatewayError {
        GatewayError(status: .notFound, type: "invalid_request_error", code: "model_not_found", param: param, message: message)
    }

    static func tooLarge(limit: Int) -> GatewayError {
        GatewayError(
            status: .contentTooLarge, type: "invalid_request_error", code: "request_too_large", param: nil,
            message: "request body is over the limit of \(limit) bytes")
    }

    func response(extraHeaders: HTTPFields = [:]) -> Response {
        var error: JSONObject = [
            "message": .string(message), "type": .string(type),
            "param": param.map(JSON.string) ?? .null, "code": code.map(JSON.string) ?? .null,
        ]
        for (key, value) in details { error.set(key, value) }
        let body = JSONWriter.bytes(.object(["error": .object(error)]))
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPField.Name {
    static let tokenbrokerProvider = HTTPField.Name("x-tokenbroker-provider")!
    static let tokenbrokerModel = HTTPField.Name("x-tokenbroker-model")!
    static let tokenbrokerDecision = HTTPField.Name("x-tokenbroker-decision")!
    static let tokenbrokerCost = HTTPField.Name("x-tokenbroker-cost-usd")!
    static let tokenbrokerMinQuality = HTTPField.Name("x-tokenbroker-min-quality")!
    static let tokenbrokerDataClass = HTTPField.Name("x-tokenbroker-data-class")!
    static let tokenbrokerMaxCost = HTTPField.Name("x-tokenbroker-max-cost-usd")!
}
