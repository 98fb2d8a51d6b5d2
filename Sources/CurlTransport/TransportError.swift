/// Why a transfer failed, sorted into what a caller can act on.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// DNS, refused or unreachable connection, or a Unix socket that is not there.
        case connectionFailed
        /// The connect or total timeout ran out.
        case timeout
        /// This process could not open a socket: out of file descriptors or memory. Not the
        /// server's fault, and no sign of its health.
        case localResources
        /// The certificate did not verify, or the TLS handshake failed.
        case tls
        /// The connection broke while sending or receiving, or the response was cut short.
        case connectionLost
        /// The request could not be built (bad URL, bad option).
        case invalidRequest
        /// The consumer went away; the transfer was removed.
        case cancelled
        /// The transport was shut down.
        case shutdown
        case responseTooLarge
        case other
    }

    public var kind: Kind
    public var message: String
    /// libcurl's result code, when the error came from libcurl.
    public var curlCode: Int?

    public init(kind: Kind, message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
