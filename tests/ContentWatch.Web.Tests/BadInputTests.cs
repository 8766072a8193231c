using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>Malformed requests get 400 problem+json naming the bad fields, and nothing of them is stored.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class BadInputTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Good = """{"platform":"x","url":"https://x.example/p/1","text":"hello"}""";

    public static TheoryData<string, string, string> Cases()
    {
        var longText = new string('a', 20_001);
        var batch = "[" + string.Join(",", Enumerable.Range(0, 1_001).Select(i => $$"""{"platform":"x","url":"https://x.example/b/{{i}}","text":"t{{i}}"}""")) + "]";
        return new TheoryData<string, string, string>
        {
            { "missing platform", """{"url":"https://x.example/1","text":"t"}""", "platform" },
            { "missing url", """{"platform":"x","text":"t"}""", "url" },
            { "missing text", """{"platform":"x","url":"https://x.example/1"}""", "text" },
            { "empty text", """{"platform":"x","url":"https://x.example/1","text":"   "}""", "text" },
            { "text is a number", """{"platform":"x","url":"https://x.example/1","text":42}""", "text" },
            { "platform is an object", """{"platform":{},"url":"https://x.example/1","text":"t"}""", "platform" },
            { "relative url", """{"platform":"x","url":"/p/1","text":"t"}""", "url" },
            { "ftp url", """{"platform":"x","url":"ftp://x.example/1","text":"t"}""", "url" },
            { "javascript url", """{"platform":"x","url":"javascript:alert(1)","text":"t"}""", "url" },
            { "bad kind", """{"platform":"x","url":"https://x.example/1","text":"t","kind":"tweet"}""", "kind" },
            { "bad postedAt", """{"platform":"x","url":"https://x.example/1","text":"t","postedAt":"yesterday"}""", "postedAt" },
            { "bad reporter email", """{"platform":"x","url":"https://x.example/1","text":"t","reporter":{"email":"not-an-email"}}""", "reporter.email" },
            { "reporter not an object", """{"platform":"x","url":"https://x.example/1","text":"t","reporter":"me"}""", "reporter" },
            { "oversize text", $$"""{"platform":"x","url":"https://x.example/1","text":"{{longText}}"}""", "text" },
            { "platform with spaces", """{"platform":"face book","url":"https://x.example/1","text":"t"}""", "platform" },
            { "one bad among good", "[" + Good + """,{"platform":"x","url":"nope","text":"t"}]""", "[1].url" },
            { "oversize batch", batch, "$" },
            { "empty array", "[]", "$" },
            { "a string body", "\"hello\"", "$" },
            { "invalid JSON", """{"platform":"x",""", "$" },
            { "empty body", "", "$" },
            { "nested too deep", new string('[', 100) + new string(']', 100), "$" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_report_is_refused_with_problem_details_and_nothing_is_stored(string name, string body, string field)
    {
        using var admin = service.Admin();
        var before = await CountItemsAsync(admin);
        using var response = await admin.PostRawAsync("/api/reports", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{name}: errors should name '{field}': {text}");
        Assert.Equal(before, await CountItemsAsync(admin));
    }

    /// <summary>
    /// What keeps POST /api/reports on ReportParser rather than a typed record: System.Text.Json stops at the first value
    /// of the wrong type, so a bound record would name only <c>[1].text</c> here.
    /// </summary>
    [Fact]
    public async Task Every_bad_field_of_every_report_in_a_batch_is_named_in_one_answer()
    {
        using var admin = service.Admin();
        var before = await CountItemsAsync(admin);
        using var response = await admin.PostRawAsync("/api/reports",
            "[" + Good + """,{"url":"mailto:a@b.example","text":5,"kind":"x"},{"platform":7,"url":"https://x.example/2","text":"t","postedAt":"yesterday"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ApiClient.ReadJsonAsync(response))["errors"]!.AsObject();
        Assert.Equal(["[1].platform", "[1].url", "[1].text", "[1].kind", "[2].platform", "[2].postedAt"], errors.Select(e => e.Key));
        Assert.Equal("must be a string, not number", errors["[1].text"]![0]!.GetValue<string>());
        Assert.Equal(before, await CountItemsAsync(admin));
    }

    [Fact]
    public async Task Body_over_10_MB_is_refused_with_413_before_it_is_read()
    {
        using var admin = service.Admin();
        var before = await CountItemsAsync(admin);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST /api/reports HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nAuthorization: Bearer {ServiceFixture.AdminKey}\r\n" +
                   $"Content-Type: application/json\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n[";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var status = await reader.ReadLineAsync();
        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
        Assert.Equal(before, await CountItemsAsync(admin));
    }

    [Fact]
    public async Task Chunked_body_growing_past_10_MB_is_refused()
    {
        using var admin = service.Admin();
        var before = await CountItemsAsync(admin);
        var big = new StringBuilder("[");
        var text = new string('z', 19_000);
        for (var i = 0; big.Length < 11 * 1024 * 1024; i++)
        {
            big.Append(i == 0 ? "" : ",").Append($$"""{"platform":"x","url":"https://x.example/big/{{i}}","text":"{{text}}{{i}}"}""");
        }

        big.Append(']');
        var bytes = Encoding.UTF8.GetBytes(big.ToString());
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        try
        {
            using var response = await admin.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // the server may close the connection while the client is still sending: also a refusal
        }

        Assert.Equal(before, await CountItemsAsync(admin));
    }

    [Theory]
    [InlineData("""{"decision":"maybe","reason":"r"}""", "decision")]
    [InlineData("""{"decision":"confirm","category":"benign","reason":"r"}""", "category")]
    [InlineData("""{"decision":"confirm","category":"smuggling_service"}""", "reason")]
    [InlineData("""{"decision":"confirm","category":"smuggling_service","reason":7}""", "reason")]
    [InlineData("""not json""", "$")]
    public async Task Malformed_decision_is_refused(string body, string field)
    {
        using var admin = service.Admin();
        using var posted = await admin.PostJsonAsync("/api/reports", new { platform = "x", url = "https://x.example/d/" + Guid.NewGuid().ToString("N"), text = "decision target " + Guid.NewGuid() });
        var id = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        using var response = await admin.PostRawAsync($"/api/items/{id}/decision", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey(field));
        Assert.Empty((await admin.GetJsonAsync($"/api/items/{id}/audit"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"role":"god"}""", "role")]
    [InlineData("""{"role":"platform"}""", "platform")]
    [InlineData("""{"role":"officer","platform":"facebook"}""", "platform")]
    public async Task Malformed_key_request_is_refused(string body, string field)
    {
        using var admin = service.Admin();
        using var response = await admin.PostRawAsync("/api/keys", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey(field));
    }

    [Theory]
    [InlineData("/api/review/queue?limit=abc")]
    [InlineData("/api/review/queue?limit=0")]
    [InlineData("/api/items?limit=501")]
    [InlineData("/api/items?status=deleted")]
    [InlineData("/api/platforms/facebook/referrals?limit=-1")]
    [InlineData("/api/platforms/facebook/exports/x?format=xml")]
    public async Task Malformed_query_is_refused_naming_the_parameter(string path)
    {
        using var admin = service.Admin();
        using var response = await admin.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await ApiClient.ReadJsonAsync(response))["errors"]!.AsObject();
        Assert.Single(errors);
    }

    private static async Task<int> CountItemsAsync(ApiClient admin) =>
        (await admin.GetJsonAsync("/api/items?limit=500"))["items"]!.AsArray().Count;
}
