import ExactJSON
/// Typed reads of a parsed ``JSON`` object that say which member had the wrong shape.
///
/// The callers turn a ``JSONShapeError`` into `badRequest` (a client body) or
/// `malformedResponse` (an upstream body); the distinction is theirs, not the reader's.
struct JSONShapeError: Error, Sendable, CustomStringConvertible {
    var description: String
}

extension JSONObject {
    func required(_ key: String) throws(JSONShapeError) -> JSON {
        guard let value = self[key], !value.isNull else { throw JSONShapeError(description: "`\(key)` is missing") }
        return value
    }

    func string(_ key: String) throws(JSONShapeError) -> String {
        guard let text = try optionalString(key) else { throw JSONShapeError(description: "`\(key)` is missing") }
        return text
    }

    /// Absent and `null` read as nil; any other non-string is an error.
    func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw JSONShapeError(description: "`\(key)` must be a string") }
        return text
    }

    func optionalInt(_ key: String) throws(JSONShapeError) -> Int? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let number = value.intValue else { throw JSONShapeError(description: "`\(key)` must be an integer") }
        return number
    }

    /// A token count a provider reports: 0 to 2^40. Counts are added up (prompt and cache,
    /// output and thinking, the total), so one past any real request, or negative, could
    /// overflow and trap; it is a malformed answer instead.
    func optionalTokenCount(_ key: String) throws(JSONShapeError) -> Int? {
        guard let count = try optionalInt(key) else { return nil }
        guard (0...Self.maximumTokenCount).contains(count) else {
            throw JSONShapeError(description: "`\(key)` must be a token count from 0 to 2^40, not \(count)")
        }
        return count
    }

    static let maximumTokenCount = 1 << 40

    func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw JSONShapeError(description: "`\(key)` must be true or false") }
        return flag
    }

    func object(_ key: String) throws(JSONShapeError) -> JSONObject {
        guard let object = try optionalObject(key) else { throw JSONShapeError(description: "`\(key)` is missing") }
        return object
    }

    func optionalObject(_ key: String) throws(JSONShapeError) -> JSONObject? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let object = value.objectValue else { throw JSONShapeError(description: "`\(key)` must be an object") }
        return object
    }

    func array(_ key: String) throws(JSONShapeError) -> [JSON] {
        guard let items = try optionalArray(key) else { throw JSONShapeError(description: "`\(key)` is missing") }
        return items
    }

    func optionalArray(_ key: String) throws(JSONShapeError) -> [JSON]? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let items = value.arrayValue else { throw JSONShapeError(description: "`\(key)` must be an array") }
        return items
    }

    /// Each element of the array `key` as an object.
    func objects(_ key: String) throws(JSONShapeError) -> [JSONObject] {
        try (optionalArray(key) ?? []).asObjects(key)
    }
}

extension [JSON] {
    func asObjects(_ name: String) throws(JSONShapeError) -> [JSONObject] {
        var objects: [JSONObject] = []
        objects.reserveCapacity(count)
        for item in self {
            guard let object = item.objectValue else {
                throw JSONShapeError(description: "`\(name)` must contain only objects")
            }
            objects.append(object)
        }
        return objects
    }
}

extension JSON {
    /// Parses `bytes`, for upstream bodies: anything unreadable is a malformed response.
    static func parseUpstream(_ bytes: some Collection<UInt8>, what: String, status: Int? = nil)
        throws(UpstreamError) -> JSONObject
    {
        let value: JSON
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .malformed("\(what) is not JSON (\(error))", status: status)
        }
        guard let object = value.objectValue else { throw .malformed("\(what) is not a JSON object", status: status) }
        return object
    }
}
