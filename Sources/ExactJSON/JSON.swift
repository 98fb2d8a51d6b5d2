/// A JSON value that keeps what a pass-through must not change: the order of object members
/// and the exact text of numbers (`1.0`, `1e-7` and 20-digit ids survive a round trip).
///
/// Foundation's coders lose both, so request bodies, provider payloads and price files are
/// parsed with ``JSONParser`` into this and written back with ``JSONWriter``. Money in price
/// files is parsed from the number's text, never through a `Double`.
///
/// ```swift
/// let chunk: JSON = ["object": "chat.completion.chunk", "created": .int(0), "choices": []]
/// ```
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text exactly as written, already checked against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public static func int(_ value: Int) -> JSON { .number(String(value)) }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// An integer number; `12`, `12.0` and `1.2e1` all read as 12. Nil for fractions, values
    /// outside `Int`, and anything that is not a number.
    public var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let value = Int(text) { return value }
        guard let double = Double(text), double.rounded() == double else { return nil }
        return Int(exactly: double)
    }

    public var isNull: Bool { self == .null }

    /// "a string", "an object", …: for error messages about an unexpected type.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member `key` of an object; nil for a missing member and for non-objects.
    public subscript(key: String) -> JSON? { objectValue?[key] }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
