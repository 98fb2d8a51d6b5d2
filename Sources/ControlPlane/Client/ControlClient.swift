public import CurlTransport
public import Foundation

/// The CLI's side of the control API: HTTP/1.1 + JSON over the daemon's Unix socket,
/// through the libcurl transport.
///
/// ```swift
/// let client = try ControlClient(socketPath: "var/tokenbroker.sock")
/// let status: StatusReport = try await client.get("/v1/status")
/// ```
public final class ControlClient: Sendable {
    public let socketPath: String
    let transport: CurlTransport

    public init(socketPath: String) throws {
        self.socketPath = socketPath
        transport = try CurlTransport()
    }

    deinit { transport.shutdown() }

    public func get<Answer: Decodable>(
        _ path: String, query: [(String, String?)] = [], as type: Answer.Type = Answer.self
    ) async throws(ControlClientError) -> Answer {
        try decode(try await call("GET", path, query: query, body: nil), as: type)
    }

    public func send<Answer: Decodable>(
        _ method: String, _ path: String, query: [(String, String?)] = [], json body: (some Encodable)?,
        as type: Answer.Type = Answer.self
    ) async throws(ControlClientError) -> Answer {
        let data: Data?
        do {
            data = try body.map { try JSONEncoder().encode($0) }
        } catch {
            throw ControlClientError(.failed, "cannot encode the request: \(error)")
        }
        return try decode(try await call(method, path, query: query, body: data), as: type)
    }

    public func send<Answer: Decodable>(
        _ method: String, _ path: String, query: [(String, String?)] = [], bytes body: Data, as type: Answer.Type = Answer.self
    ) async throws(ControlClientError) -> Answer {
        try decode(try await call(method, path, query: query, body: body), as: type)
    }

    /// Sends one request; a non-2xx answer becomes an error carrying the daemon's message.
    public func call(_ method: String, _ path: String, query: [(String, String?)], body: Data?) async throws(ControlClientError) -> Data {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "localhost"
        components.path = path
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty { components.queryItems = items }
        // `+` is a space in a query string; encode it so offer names and times survive.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else { throw ControlClientError(.failed, "cannot build a URL for \(path)") }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(
            method: method, url: url, headers: headers, body: body.map { .bytes($0) } ?? .none, connectTimeout: .seconds(5),
            timeout: .seconds(120), unixSocketPath: socketPath)
        let response: HTTPResponse
        let data: Data
        do {
            (response, data) = try await transport.data(for: request)
        } catch {
            throw unreachable(error)
        }
        guard (200..<300).contains(response.status) else {
            if let body = try? JSONDecoder().decode(ControlErrorBody.self, from: data) {
                throw ControlClientError(response.status == 403 ? .refused : .failed, body.error.message, status: response.status, code: body.error.code)
            }
            throw ControlClientError(.failed, "the daemon answered \(response.status): \(String(decoding: data.prefix(200), as: UTF8.self))", status: response.status)
        }
        return data
    }

    func decode<Answer: Decodable>(_ data: Data, as type: Answer.Type) throws(ControlClientError) -> Answer {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ControlClientError(.failed, "unexpected answer from the daemon (\(error)); is the CLI the same version as tokenbrokerd?")
        }
    }

    /// Why the socket could not be reached, in the operator's terms.
    func unreachable(_ error: TransportError) -> ControlClientError {
        guard error.kind == .connectionFailed || error.kind == .timeout else {
            return ControlClientError(.failed, "control socket \(socketPath): \(error.message)")
        }
        var status = stat()
        if stat(socketPath, &status) != 0 {
            // A directory the caller may not pass through hides the socket: that is no answer
            // about the daemon.
            if errno == EACCES {
                return ControlClientError(
                    .refused, "permission denied on the directory of the control socket \(socketPath): run as its owner or a member of its group")
            }
            return ControlClientError(.unreachable, "tokenbrokerd is not running: no control socket at \(socketPath) (set --socket or TOKENBROKER_SOCKET)")
        }
        if access(socketPath, W_OK) != 0 {
            return ControlClientError(
                .refused, "permission denied on the control socket \(socketPath): run as its owner or a member of its group")
        }
        return ControlClientError(.unreachable, "tokenbrokerd is not running: nothing is listening on \(socketPath) (\(error.message))")
    }
}

/// A control request that did not succeed: the daemon is unreachable, refused the caller, or
/// refused or failed the operation (the message is the daemon's).
public struct ControlClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unreachable, refused, failed
    }

    public var kind: Kind
    public var message: String
    public var status: Int?
    public var code: String?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, code: String? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.code = code
    }

    public var description: String { message }
}
