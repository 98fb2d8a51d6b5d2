public import struct Foundation.Data

/// One HTTP request for the transport to send, exactly as built by an adapter.
public struct UpstreamRequest: Sendable {
    public var method: String
    public var url: String
    /// In order; names as the provider documents them (HTTP names are case-insensitive).
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String = "POST", url: String, headers: [(name: String, value: String)], body: Data) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name`, compared case-insensitively.
    public func header(_ name: String) -> String? { headers.value(of: name) }
}

extension [(name: String, value: String)] {
    /// The first value of the header `name`; HTTP header names are case-insensitive.
    func value(of name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}
