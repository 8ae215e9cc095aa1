using System.Text;
using System.Text.Json;

namespace ScoreHub.Sdk.Tests;

/// <summary>The request helpers of SDK 1.2: a header read ignoring case and a strict JSON body answered as a 400.</summary>
public sealed class SourceRequestTests
{
    [Fact]
    public void A_header_is_read_ignoring_case_even_from_a_case_sensitive_dictionary()
    {
        var request = Request("{}", new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Signature"] = "sha256=ab" });

        Assert.Equal("sha256=ab", request.GetHeader("X-Signature"));
        Assert.Equal("sha256=ab", request.GetHeader("x-signature"));
        Assert.Equal("sha256=ab", request.GetHeader("X-SIGNATURE"));
    }

    [Fact]
    public void A_missing_header_is_null()
    {
        Assert.Null(Request("{}").GetHeader("X-Signature"));
    }

    [Fact]
    public void A_json_body_is_read_into_a_document()
    {
        Assert.True(Request("""{"events":[1,2]}""").TryReadJson(out var document, out var rejection));

        using (document)
        {
            Assert.Null(rejection);
            Assert.Equal(2, document.RootElement.GetProperty("events").GetArrayLength());
        }
    }

    [Fact]
    public void Two_json_values_in_one_body_are_answered_400_naming_the_body()
    {
        Assert.False(Request("{} {}").TryReadJson(out var document, out var rejection));

        Assert.Null(document);
        Assert.Equal((400, "Invalid payload", "body"), (rejection.StatusCode, rejection.Title, rejection.Field));
        Assert.StartsWith("The body is not valid JSON: '{' is invalid after a single JSON value.", rejection.Detail, StringComparison.Ordinal);
        Assert.False(rejection.IsAccepted);
        Assert.Empty(rejection.Signals);
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_answered_400_naming_its_path()
    {
        Assert.False(Request("""{"events":[{"name":"\ud800"}]}""").TryReadJson(out _, out var rejection));

        Assert.Equal(
            (400, "body", "The body is not valid JSON: The value at '$.events[0].name' is not valid text: invalid UTF-8 or a lone surrogate escape."),
            (rejection.StatusCode, rejection.Field, rejection.Detail));
    }

    [Fact]
    public void Malformed_json_is_answered_400_with_the_parsers_reason()
    {
        Assert.False(Request("""{"events":""").TryReadJson(out _, out var rejection));

        Assert.Equal((400, "body"), (rejection.StatusCode, rejection.Field));
        Assert.StartsWith("The body is not valid JSON: ", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_answered_400()
    {
        var body = new string('[', 5) + new string(']', 5);

        Assert.True(Request(body).TryReadJson(out var shallow, out _, maxDepth: 5));
        shallow.Dispose();
        Assert.False(Request(body).TryReadJson(out _, out var rejection, maxDepth: 4));
        Assert.Equal(400, rejection.StatusCode);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_found_by_path()
    {
        byte[] body = [.. "{\"a\":[\"ok\",\""u8, 0xC3, 0x28, .. "\"]}"u8];

        var ex = Assert.Throws<JsonException>(() => StrictJson.Parse(body));

        Assert.Equal("The value at '$.a[1]' is not valid text: invalid UTF-8 or a lone surrogate escape.", ex.Message);
    }

    [Fact]
    public void Valid_text_has_no_invalid_path()
    {
        using var document = JsonDocument.Parse("""{"a":["ok",{"b":"é"}],"c":1}""");

        Assert.Null(StrictJson.FindInvalidText(document.RootElement));
    }

    private static SourceRequest Request(string body, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Method = "POST",
        Body = Encoding.UTF8.GetBytes(body),
        ContentType = "application/json",
        Headers = headers ?? new Dictionary<string, string>(),
    };
}
