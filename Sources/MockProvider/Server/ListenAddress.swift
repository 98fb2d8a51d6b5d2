public import HummingbirdCore
public import NIOCore

/// Where the mock listens, as `--listen` spells it: `HOST:PORT` (`[::1]:PORT` for IPv6;
/// port 0 picks a free one) or `unix:/path.sock`.
public enum ListenAddress: Sendable, Equatable {
    case host(String, port: Int)
    case unix(path: String)

    /// - Throws: `ListenAddressError` saying what form is expected.
    public init(parsing text: String) throws(ListenAddressError) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { throw ListenAddressError(text: text) }
            self = .unix(path: path)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ListenAddressError(text: text) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ListenAddressError(text: text) }
        self = .host(host, port: port)
    }

    public var bindAddress: BindAddress {
        switch self {
        case .host(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
    }

    /// The address a bound socket really has, in the same spelling (the real port for port 0).
    public static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        if let path = address.pathname { return "unix:\(path)" }
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

public struct ListenAddressError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { "'\(text)' is not HOST:PORT or unix:/path.sock" }
}
