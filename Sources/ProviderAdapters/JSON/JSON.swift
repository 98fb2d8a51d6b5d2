/// A JSON value that keeps what a pass-through must not change: the order of object members
/// and the exact text of numbers (`1.0`, `1e-7` and 20-digit ids survive a round trip).
///
/// Foundation's coders lose both, so request bodies and provider payloads are parsed with
/// ``JSONParser`` into this and written back with ``JSONWriter``; the wire-format structs read
/// and build it with typed accessors.
///
/// ```swift
/// let chunk: JSON = ["object": "chat.completion.chunk", "created": .int(0), "choices": []]
/// ```
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text exactly as written, already checked against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    static func int(_ value: Int) -> JSON { .number(String(value)) }

    var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    var arrayValue: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// An integer number; `12`, `12.0` and `1.2e1` all read as 12. Nil for fractions, values
    /// outside `Int`, and anything that is not a number.
    var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let value = Int(text) { return value }
        guard let double = Double(text), double.rounded() == double else { return nil }
        return Int(exactly: double)
    }

    var isNull: Bool { self == .null }

    /// The member `key` of an object; nil for a missing member and for non-objects.
    subscript(key: String) -> JSON? { objectValue?[key] }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(JSONObject(elements)) }
    init(nilLiteral: ()) { self = .null }
}
