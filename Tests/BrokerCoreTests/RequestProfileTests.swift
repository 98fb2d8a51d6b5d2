import BrokerCore
import Foundation
import Testing

@Suite struct RequestProfileTests {
    func profile(_ json: String) throws(RequestError) -> RequestProfile {
        try RequestProfile(chatCompletionsBody: Data(json.utf8))
    }

    @Test func readsNeedsFromTheBody() throws {
        let body = """
            {"model":"frontier","stream":true,"max_completion_tokens":300,"max_tokens":900,
             "messages":[{"role":"system","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                                                   {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}],
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}
            """
        let profile = try profile(body)
        #expect(profile.model == "frontier")
        #expect(profile.capabilities == [.vision, .tools, .jsonSchema, .streaming])
        #expect(profile.maxOutputTokens == 300)
        #expect(profile.messageCount == 2)
        #expect(profile.estimatedPromptTokens > TokenEstimator.tokensPerImage)
        #expect(profile.estimatedPromptTokens < TokenEstimator.tokensPerImage + 80)
    }

    @Test func defaultsToAutoAndNoCapabilities() throws {
        let profile = try profile(#"{"messages":[{"role":"user","content":"hello there"}]}"#)
        #expect(profile.model == "auto")
        #expect(profile.capabilities == [])
        #expect(profile.maxOutputTokens == nil)
        #expect(profile.estimatedPromptTokens == 3 + 4 + 3)
    }

    @Test func estimateCountsNonASCIIScalarsAsTokens() {
        #expect(TokenEstimator.tokens(in: "abcdefgh") == 2)
        #expect(TokenEstimator.tokens(in: "你好世界") == 4)
        #expect(TokenEstimator.tokens(in: "") == 0)
        #expect(TokenEstimator.tokens(in: "abcd€ö") == 1 + 2)
        // A bridged or substring-made string takes the same path as a native one.
        #expect(TokenEstimator.tokens(in: String("xxabcdefgh".dropFirst(2))) == 2)
    }

    @Test(arguments: [
        ("{", nil as String?, "body is not valid JSON"),
        (#"{"model":"auto"}"#, "messages", "is required"),
        (#"{"messages":[]}"#, "messages", "must contain at least one message"),
        (#"{"messages":"hi"}"#, "messages", "must be an array"),
        (#"{"messages":[{"content":"x"}]}"#, "messages[0].role", "is required"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":0}"#, "max_tokens", "must be a positive integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":"10"}"#, "max_tokens", "must be an integer"),
        // Found by sending Int.max to the daemon: the context sum overflowed and crashed it.
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":9223372036854775807}"#, "max_tokens", "must be at most 1073741824"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_completion_tokens":1073741825}"#, "max_completion_tokens", "must be at most 1073741824"),
        (#"{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}"#, "response_format.type", "must be text, json_object or json_schema, not xml"),
        ("[1, 2]", nil, "must be an object"),
        (#"{"messages":null}"#, "messages", "must be an array"),
        (#"{"model":7,"messages":[{"role":"user","content":"x"}]}"#, "model", "must be a string"),
        (#"{"messages":[{"role":"user","content":7}]}"#, "messages[0].content", "must be a string or an array of parts"),
        (#"{"messages":[{"role":"user","content":[{"text":"x"}]}]}"#, "messages[0].content[0].type", "is required"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}"#, "messages[0].content[0].text", "must be a string"),
        (#"{"messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, "stream", "must be true or false"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":1.5}"#, "max_tokens", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":1e400}"#, "max_tokens", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":99999999999999999999}"#, "max_tokens", "must be an integer that fits in 64 bits"),
        (#"{"messages":[{"role":"user","content":"x"}],"tools":{}}"#, "tools", "must be an array"),
        (#"{"messages":[{"role":"user","content":"x"}],"response_format":"json"}"#, "response_format", "must be an object"),
    ])
    func rejectsBadBodiesNamingTheField(json: String, field: String?, message: String) {
        #expect(throws: RequestError(field: field, message: message)) { try profile(json) }
    }
}
