import ControlPlane
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A control request refused or failed, answered as `{"error": {"code", "message"}}`.
struct ControlError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    static func badRequest(_ message: String) -> ControlError { ControlError(status: .badRequest, code: "bad_request", message: message) }
    static func notFound(_ message: String) -> ControlError { ControlError(status: .notFound, code: "not_found", message: message) }
    static func conflict(_ message: String) -> ControlError { ControlError(status: .conflict, code: "conflict", message: message) }
    static func failed(_ message: String) -> ControlError {
        ControlError(status: .internalServerError, code: "failed", message: message)
    }

    var response: Response { ControlJSON.response(ControlErrorBody(code: code, message: message), status: status) }
}

/// JSON in and out of the control API: readable with `curl`, sorted keys, strict on input.
enum ControlJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            let body = #"{"error":{"code":"failed","message":"cannot encode the answer"}}"#
            return Response(status: .internalServerError, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }

    /// Decodes a request body, naming what is wrong with it.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw ControlError.badRequest("the request body is over 1 MiB")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ControlError.badRequest("missing field \(key.stringValue)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ControlError.badRequest("wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ControlError.badRequest("missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw ControlError.badRequest("the request body is not valid JSON for this endpoint")
        }
    }
}

extension Hummingbird.Router where Context == BasicRequestContext {
    /// Registers a handler whose thrown ``ControlError`` (or any error) becomes a JSON error answer.
    func control(
        _ method: HTTPRequest.Method, _ path: RouterPath,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        on(path, method: method) { request, context in
            do {
                return try await handler(request, context)
            } catch let error as ControlError {
                return error.response
            } catch {
                return ControlError.failed("\(error)").response
            }
        }
    }
}
