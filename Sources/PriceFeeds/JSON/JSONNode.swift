/// A parsed JSON value that keeps two things Foundation's decoders drop: the order of object
/// keys (so offers come back in file order) and the exact text of numbers (so a price is
/// parsed from its decimal text by `ExactDecimal` and never passes through a `Double`).
enum JSONNode: Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `2.5e-06`; already checked against JSON's grammar.
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Members in file order; keys are unique (the parser rejects duplicates).
    case object([(key: String, value: JSONNode)])

    /// "a string", "an object", …: for error messages about an unexpected type.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
