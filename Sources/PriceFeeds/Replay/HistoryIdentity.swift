/// Who sells what, read from LiteLLM's keys: the history names a host by its
/// `litellm_provider` label and a model by a key that may carry a route prefix, a region,
/// a vendor, a version or a date (`bedrock_converse` / `us.anthropic.claude-sonnet-5`).
/// Replay and war detection need the host and the model identity underneath.
public enum HistoryIdentity {
    /// The host behind a LiteLLM provider label, named like the catalogue's providers where
    /// the catalogue has one (`fireworks_ai` → `fireworks`); every Vertex AI label is `vertex_ai`,
    /// both Bedrock APIs are `bedrock`.
    public static func host(_ label: String) -> String {
        if label.hasPrefix("vertex_ai") { return "vertex_ai" }
        switch label {
        case "bedrock", "bedrock_converse": return "bedrock"
        case "text-completion-openai": return "openai"
        case "codestral", "text-completion-codestral": return "mistral"
        case "fireworks_ai": return "fireworks"
        case "together_ai": return "together"
        default: return label
        }
    }

    static let regionPrefixes = ["us-gov.", "global.", "apac.", "us.", "eu.", "jp.", "au.", "ca."]
    static let vendorPrefixes = [
        "anthropic.", "meta.", "mistral.", "amazon.", "cohere.", "ai21.", "deepseek.", "qwen.", "openai.", "writer.",
    ]

    /// The model identity a key names, e.g. `us.anthropic.claude-sonnet-5` → `claude-sonnet-5`,
    /// `vertex_ai/claude-sonnet-5@default` → `claude-sonnet-5`, `o3-2025-04-16` → `o3`,
    /// `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet`, `mistral-large-latest` → `mistral-large`.
    public static func model(_ key: String) -> String {
        var name = Substring(key.lowercased())
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        for prefix in regionPrefixes where name.hasPrefix(prefix) {
            name = name.dropFirst(prefix.count)
            break
        }
        for prefix in vendorPrefixes where name.hasPrefix(prefix) {
            name = name.dropFirst(prefix.count)
            break
        }
        var text = String(name)
        // Version, alias and date suffixes come in any order (`chatgpt-4o-latest-20250326`).
        var previous = ""
        while previous != text {
            previous = text
            text = strip(text, suffix: { $0.hasPrefix("-v") && $0.count > 2 && $0.dropFirst(2).allSatisfy { $0.isNumber || $0 == ":" } })
            text = strip(text, suffix: { $0 == "-latest" })
            // -YYYYMMDD
            text = strip(text, suffix: { $0.count == 9 && $0.dropFirst().allSatisfy(\.isNumber) && $0.dropFirst().hasPrefix("20") })
            text = stripDashedDate(text)
        }
        return text.isEmpty ? key : text
    }

    /// -YYYY-MM-DD
    private static func stripDashedDate(_ text: String) -> String {
        var text = text
        if text.count > 11 {
            let tail = text.suffix(11)
            let parts = tail.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 4, parts[0].isEmpty, parts[1].count == 4, parts[1].hasPrefix("20"), parts[2].count == 2,
                parts[3].count == 2, parts.dropFirst().allSatisfy({ $0.allSatisfy(\.isNumber) })
            {
                text = String(text.dropLast(11))
            }
        }
        return text
    }

    /// How much of the key is decoration around the model identity: among a host's keys for
    /// one model, the least decorated (the plain or `global.` key, not a regional copy priced
    /// 10% higher or a pinned date) speaks for the offer.
    public static func decoration(_ key: String) -> Int {
        let segment = key.lowercased().split(separator: "/").last.map(String.init) ?? key
        let regional = regionPrefixes.filter { $0 != "global." }.contains { segment.hasPrefix($0) }
        return key.count - model(key).count + (regional ? 100 : 0)
    }

    private static func strip(_ text: String, suffix matches: (Substring) -> Bool) -> String {
        guard let dash = text.lastIndex(of: "-") else { return text }
        return matches(text[dash...]) ? String(text[..<dash]) : text
    }
}
