import Foundation
import MockProvider
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test func serializationKeepsOrderAndExplicitNulls() {
        let value: JSONValue = ["b": 1, "a": nil, "c": [true, "x", .double(1.5), .double(2)]]
        #expect(value.serialized() == #"{"b":1,"a":null,"c":[true,"x",1.5,2]}"#)
    }

    @Test(arguments: ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{1}\u{1f}", "émoji 🦊 ünïcode"])
    func stringsRoundTripThroughFoundation(text: String) throws {
        let serialized = JSONValue.array([.string(text)]).serialized()
        let decoded = try JSONSerialization.jsonObject(with: Data(serialized.utf8)) as? [String]
        #expect(decoded == [text])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(serialized.utf8)) == .array([.string(text)]))
    }

    @Test func decodesEveryKindAndComparesObjectsWithoutOrder() throws {
        let text = #"{"s":"x","i":3,"d":2.5,"t":false,"n":null,"a":[1,{"k":"v"}],"o":{}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["o": [:], "a": [1, ["k": "v"]], "n": nil, "t": false, "d": .double(2.5), "i": 3, "s": "x"])
        #expect(value != ["s": "x"])
    }
}
