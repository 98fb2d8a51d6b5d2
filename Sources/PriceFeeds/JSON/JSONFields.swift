import BrokerCore
import ExactJSON

/// One JSON object as an importer reads it: typed access to its fields, where a field of the
/// wrong type is an ``ImportError`` naming the file and the field's JSON path.
///
/// A field that is absent or `null` reads as nil: feeds use both for "not given".
struct JSONFields {
    let file: String
    /// JSONPath of this object, e.g. `$["gpt-4o"]` or `$.data[2]`.
    let path: String
    /// Prefixed to error reasons to name the entry when the path alone does not, e.g. an id.
    let subject: String?
    let members: [(key: String, value: JSON)]
    private let byKey: [String: JSON]

    init(_ node: JSON, file: String, path: String, subject: String? = nil) throws(ImportError) {
        guard case .object(let object) = node else {
            throw ImportError(
                file: file, location: .jsonPath(path),
                reason: (subject.map { "\($0): " } ?? "") + "expected an object, found \(node.kindName)")
        }
        self.file = file
        self.path = path
        self.subject = subject
        self.members = object.members.map { ($0.key, $0.value) }
        self.byKey = Dictionary(self.members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// `$.data` for identifier-like keys, `$["gpt-4o"]` for the rest.
    static func memberPath(_ path: String, _ key: String) -> String {
        let identifier = key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        if identifier { return "\(path).\(key)" }
        var escaped = ""
        for character in key {
            if character == "\\" || character == "\"" { escaped.append("\\") }
            escaped.append(character)
        }
        return "\(path)[\"\(escaped)\"]"
    }

    func error(_ key: String, _ reason: String) -> ImportError {
        error(at: Self.memberPath(path, key), reason)
    }

    func error(at fullPath: String, _ reason: String) -> ImportError {
        ImportError(file: file, location: .jsonPath(fullPath), reason: (subject.map { "\($0): " } ?? "") + reason)
    }

    func contains(_ key: String) -> Bool { node(key) != nil }

    func node(_ key: String) -> JSON? {
        guard let node = byKey[key] else { return nil }
        if case .null = node { return nil }
        return node
    }

    func string(_ key: String) throws(ImportError) -> String? {
        guard let node = node(key) else { return nil }
        guard case .string(let text) = node else { throw error(key, "expected a string, found \(node.kindName)") }
        return text
    }

    func bool(_ key: String) throws(ImportError) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let value) = node else { throw error(key, "expected true or false, found \(node.kindName)") }
        return value
    }

    /// A number written as a JSON number or as a numeric string (feeds do both), as text.
    func decimalText(_ key: String) throws(ImportError) -> String? {
        guard let node = node(key) else { return nil }
        switch node {
        case .number(let text):
            return text
        case .string(let text) where ExactDecimal.parse(text, scale: 0) != nil:
            return text
        case .string(let text):
            throw error(key, "expected a number, found the string \"\(text)\"")
        default:
            throw error(key, "expected a number, found \(node.kindName)")
        }
    }

    /// A whole, non-negative count such as a token limit; `2000000.0` is accepted.
    func count(_ key: String) throws(ImportError) -> Int? {
        guard let text = try decimalText(key) else { return nil }
        let unit: Int128 = 1_000_000_000_000_000_000  // 18 places: checks the fraction is zero
        guard let scaled = ExactDecimal.parse(text, scale: 18), scaled >= 0, scaled % unit == 0,
            scaled / unit <= Int128(Int.max)
        else {
            throw error(key, "expected a whole number of tokens, found \(text)")
        }
        return Int(scaled / unit)
    }

    /// The first of several count fields that is present, e.g. a limit and its legacy name.
    func firstCount(_ keys: String...) throws(ImportError) -> Int? {
        for key in keys {
            if let value = try count(key) { return value }
        }
        return nil
    }

    /// A price; absent is `.unknown`, an explicit 0 is `.free`.
    func price(_ key: String, unit: PriceText.Unit) throws(ImportError) -> Price {
        guard let text = try decimalText(key) else { return .unknown }
        guard let price = PriceText.parse(text, unit: unit) else {
            throw error(key, "not a price (negative or too large): \(text)")
        }
        return price
    }

    func object(_ key: String) throws(ImportError) -> JSONFields? {
        guard let node = node(key) else { return nil }
        return try JSONFields(node, file: file, path: Self.memberPath(path, key), subject: subject)
    }

    func strings(_ key: String) throws(ImportError) -> [String]? {
        guard let node = node(key) else { return nil }
        guard case .array(let items) = node else { throw error(key, "expected an array of strings, found \(node.kindName)") }
        var result: [String] = []
        for (offset, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw error(at: "\(Self.memberPath(path, key))[\(offset)]", "expected a string, found \(item.kindName)")
            }
            result.append(text)
        }
        return result
    }
}
