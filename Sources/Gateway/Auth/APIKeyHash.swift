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
        let digest = SHA256.hash(data: Data(key.utf8))
        // Every request pays for this: one buffer, no per-byte strings.
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0f)]
                index += 2
            }
            return 64
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

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
