import BrokerCore
public import Foundation
import Yams

/// A YAML node with the file and field path it came from, so every read can fail with a
/// message that names the file, the line and the field.
struct YAMLField {
    let node: Node
    let file: String
    let path: String

    /// Parses a whole file; syntax errors carry libyaml's line and column.
    static func root(yaml: String, file: String) throws(ProviderFileError) -> YAMLField {
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ProviderFileError(file: file, message: "the file is empty")
            }
            return YAMLField(node: node, file: file, path: "")
        } catch let error as ProviderFileError {
            throw error
        } catch {
            guard let syntax = YAMLSyntaxError(error) else { throw ProviderFileError(file: file, message: "not YAML: \(error)") }
            throw ProviderFileError(file: file, line: syntax.line, column: syntax.column, message: syntax.message)
        }
    }

    func error(_ message: String) -> ProviderFileError {
        ProviderFileError(file: file, line: node.mark?.line, column: node.mark?.column, field: path, message: message)
    }

    private func child(_ node: Node, _ component: String) -> YAMLField {
        YAMLField(node: node, file: file, path: path.isEmpty ? component : "\(path).\(component)")
    }

    // MARK: Structure

    func mapping(allowed keys: Set<String>) throws(ProviderFileError) -> Node.Mapping {
        guard let mapping = node.mapping else { throw error("expected a mapping of fields") }
        for (key, value) in mapping {
            guard let name = key.string else { throw error("field names must be text") }
            if !keys.contains(name) {
                throw child(value, name).error("unknown field (expected one of: \(keys.sorted().joined(separator: ", ")))")
            }
        }
        return mapping
    }

    func optional(_ key: String) -> YAMLField? {
        guard let value = node.mapping?[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            return nil
        }
        return child(value, key)
    }

    func required(_ key: String) throws(ProviderFileError) -> YAMLField {
        guard let field = optional(key) else {
            let missing = YAMLField(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
            throw missing.error("required field is missing")
        }
        return field
    }

    func list() throws(ProviderFileError) -> [YAMLField] {
        guard let sequence = node.sequence else { throw error("expected a list") }
        return sequence.enumerated().map { index, element in
            YAMLField(node: element, file: file, path: "\(path)[\(index)]")
        }
    }

    // MARK: Scalars

    func string() throws(ProviderFileError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        return scalar.string
    }

    func nonEmptyString() throws(ProviderFileError) -> String {
        let text = try string().trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw error("must not be empty") }
        return text
    }

    func int(in range: ClosedRange<Int> = 0...Int.max) throws(ProviderFileError) -> Int {
        let text = try string().replacingOccurrences(of: "_", with: "")
        guard let value = Int(text) else { throw error("not a whole number: \"\(text)\"") }
        guard range.contains(value) else { throw error("\(value) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    func bool() throws(ProviderFileError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error("expected true or false, not \"\(other)\"")
        }
    }

    /// A price in USD per Mtok, read exactly from the text as written.
    func price() throws(ProviderFileError) -> Price {
        let text = try string()
        guard let price = TokenPrice(usdPerMtok: text) else {
            throw error("not a non-negative decimal number of USD per Mtok up to 9223372036: \"\(text)\"")
        }
        // Zero means "explicitly free" in a provider file: only a written zero may say so.
        if price.nanoUSDPerMtok == 0, !PriceText.isLiteralZero(text) {
            throw error("\"\(text)\" is below the catalogue's resolution of 1 nano-USD per Mtok: write 0 for free")
        }
        return Price(nanoUSDPerMtok: price.nanoUSDPerMtok)
    }

    func money() throws(ProviderFileError) -> Money {
        let text = try string()
        guard let money = Money(usd: text), money >= .zero else {
            throw error("not a non-negative decimal amount of USD: \"\(text)\"")
        }
        return money
    }

    /// A percentage such as `41.5`, as basis points.
    func basisPoints(max: Int = 10_000) throws(ProviderFileError) -> Int {
        let text = try string()
        guard let value = ExactDecimal.parse(text, scale: 2), value >= 0, value <= Int128(max) else {
            throw error("not a percentage between 0 and \(max / 100): \"\(text)\"")
        }
        return Int(value)
    }

    /// `YYYY-MM-DD` (midnight UTC) or a full ISO 8601 timestamp.
    func date() throws(ProviderFileError) -> Date {
        let text = try string()
        if let date = DateParsing.date(text) { return date }
        throw error("not a date (YYYY-MM-DD or ISO 8601): \"\(text)\"")
    }

    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ProviderFileError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw error("\"\(text)\" is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func capabilities() throws(ProviderFileError) -> Capabilities {
        var result: Capabilities = []
        for item in try list() {
            let name = try item.string()
            guard let capability = Capabilities(names: [name]) else {
                throw item.error("unknown capability \"\(name)\" (expected: \(Capabilities.named.map(\.name).joined(separator: ", ")))")
            }
            result.formUnion(capability)
        }
        return result
    }

    func strings() throws(ProviderFileError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.nonEmptyString()) }
        return result
    }
}

/// libyaml's complaint in one line with its position: Yams's own description spans three
/// lines (the problem, the offending line, a caret) and repeats the position in prose.
public struct YAMLSyntaxError: Error, Sendable {
    public var line: Int?
    public var column: Int?
    public var problem: String

    /// nil when `error` is not one of Yams's.
    public init?(_ error: any Error) {
        guard let error = error as? YamlError else { return nil }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            (line, column, self.problem) = (mark.line, mark.column, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            (line, column, problem) = (context.mark.line, context.mark.column, "duplicated keys: \(duplicates.sorted().joined(separator: ", "))")
        default:
            (line, column, problem) = (nil, nil, "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
    }

    public var message: String { "YAML syntax: \(problem)" }

    /// `file:line:column`, as far as the position is known.
    public func place(in file: String) -> String {
        [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }
}
