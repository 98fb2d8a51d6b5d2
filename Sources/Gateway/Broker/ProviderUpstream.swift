public import BrokerCore
import Foundation
public import ProviderAdapters

/// How one provider is called right now: its adapter, its endpoint with the resolved secret,
/// or why it cannot be called. Secrets live only here and in the adapters' request headers.
public struct ProviderUpstream: Sendable {
    public var provider: String
    public var adapter: any ProviderAdapter
    public var endpoint: UpstreamEndpoint
    /// Served by the demo overlay instead of the provider's own endpoint.
    public var isDemo: Bool
    /// Set when the provider cannot be called (no credentials and no demo overlay).
    public var unavailableReason: String?

    /// Resolves credentials from the environment or a file, and applies the demo overlay
    /// to providers whose secret is not set (self-hosted ones included).
    public static func resolve(
        _ provider: Provider, environment: [String: String], demoUpstream: String?
    ) -> ProviderUpstream {
        let adapter = ProviderAdapters.adapter(for: provider.wireFormat)
        let secret: String?
        var missing: String?
        switch provider.credentials {
        case .none:
            secret = nil
        case .environment(let name):
            secret = environment[name].flatMap { $0.isEmpty ? nil : $0 }
            if secret == nil { missing = "environment variable \(name) is not set" }
        case .file(let path):
            let text = try? String(contentsOfFile: path, encoding: .utf8)
            secret = text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            if secret == nil { missing = "credentials file \(path) is missing or empty" }
        }
        let realKeyAvailable = secret != nil && missing == nil
        if let demoUpstream, !realKeyAvailable {
            return ProviderUpstream(
                provider: provider.id, adapter: adapter,
                endpoint: UpstreamEndpoint(baseURL: demoBaseURL(demoUpstream, format: provider.wireFormat), apiKey: nil),
                isDemo: true, unavailableReason: nil)
        }
        return ProviderUpstream(
            provider: provider.id, adapter: adapter, endpoint: UpstreamEndpoint(baseURL: provider.baseURL, apiKey: secret),
            isDemo: false, unavailableReason: missing)
    }

    /// The demo server's root for a wire format's standard paths (`/v1/chat/completions`,
    /// `/v1/messages`, `/v1beta/models/…`), whatever path the provider's own URL has.
    static func demoBaseURL(_ root: String, format: WireFormat) -> String {
        var base = Substring(root)
        while base.hasSuffix("/") { base = base.dropLast() }
        switch format {
        case .openai, .anthropic: return "\(base)/v1"
        case .gemini: return "\(base)/v1beta"
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
