import Crypto
import Foundation

/// Tenant API keys: how they are made and the only form in which they are stored.
///
/// ```swift
/// let key = APIKeyHash.generate()          // "tb-3q2…" (shown once)
/// let stored = APIKeyHash.hash(key)        // 64 hex digits
/// ```
public enum APIKeyHash {
    /// SHA-256 of the key, lowercase hex.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A new key: `tb-` and 32 random bytes in URL-safe base64 (256 bits from the system's CSPRNG).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "tb-" + text
    }

    /// The id a key is listed under: derived from its hash, so it reveals nothing of the key.
    public static func keyID(hash: String) -> String { "key-" + hash.prefix(12) }
}
