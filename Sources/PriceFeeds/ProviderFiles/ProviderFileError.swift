/// A provider file that cannot be loaded: which file, where in it, which field, and what
/// is wrong — `Providers/groq.yaml:14:12: offers[2].input: not a decimal number: "cheap"`.
public struct ProviderFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        text += ": "
        if let field, !field.isEmpty { text += "\(field): " }
        return text + message
    }
}
