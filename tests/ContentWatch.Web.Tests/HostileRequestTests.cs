using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Web.Tests;

/// <summary>The service with one confirmed, exported item, so every endpoint has something to be attacked on.</summary>
public sealed class HostileFixture : ServiceFixture
{
    public string ItemId { get; private set; } = "";

    public string ReferralId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var admin = Admin();
        using var posted = await admin.PostJsonAsync("/api/reports", new { platform = "facebook", url = "https://facebook.example/p/hostile", text = "Boat to UK, 1500 euro, WhatsApp +44 7700 900123" });
        ItemId = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{ItemId}"), i => i["status"]!.GetValue<string>() != "pending",
            TimeSpan.FromSeconds(30), "the item to be classified");
        using var confirmed = await admin.PostJsonAsync($"/api/items/{ItemId}/decision", new { decision = "confirm", category = "smuggling_service", reason = "Prices a crossing" });
        ReferralId = (await ApiClient.ReadJsonAsync(confirmed))["referralId"]!.GetValue<string>();
        using var exported = await admin.Http.PostAsync("/api/platforms/facebook/exports", null);
        Assert.Equal(HttpStatusCode.Created, exported.StatusCode);
    }

    /// <summary>Rows in every table of the database.</summary>
    public async Task<long> CountRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "contentwatch.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT " + string.Join(" + ", tables.Select(t => $"(SELECT count(*) FROM \"{t}\")")) + ";";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// A table of hostile requests over a bare socket: each is refused with a 4xx problem naming its field where it has
/// one, none answers 500, none logs an unhandled exception, and none stores a row.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class HostileRequestTests(HostileFixture service) : IClassFixture<HostileFixture>
{
    private const string Json = "application/json";

    /// <summary>A request; <see cref="Target"/> may hold <c>{item}</c> and <c>{referral}</c>.</summary>
    public sealed record Case(string Method, string Target, string? ContentType, byte[]? Body, int Status, string? Field = null, string Key = ServiceFixture.AdminKey, bool Raw = false);

    /// <summary>How a string value is spoiled: JSON escapes of lone surrogates, or bytes that are not UTF-8.</summary>
    private static readonly (string Name, byte[] Bytes)[] Spoilers =
    [
        ("lone high surrogate", "\\ud800"u8.ToArray()),
        ("lone low surrogate", "\\udfff"u8.ToArray()),
        ("byte FF", [0xFF]),
        ("encoded surrogate", [0xED, 0xA0, 0x80]),
        ("overlong slash", [0xC0, 0xAF]),
    ];

    private static readonly string[] ReportFields =
        ["platform", "url", "text", "kind", "externalId", "title", "language", "author", "postedAt", "reporter.name", "reporter.email", "reporter.organisation"];

    private static readonly Dictionary<string, Case> Table = Build();

    public static TheoryData<string> Names() => [.. Table.Keys];

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>A JSON template where "@@" inside one string is replaced by <paramref name="spoiler"/>'s raw bytes.</summary>
    private static byte[] Spoil(string template, byte[] spoiler)
    {
        var at = template.IndexOf("@@", StringComparison.Ordinal);
        return [.. Utf8(template[..at]), .. spoiler, .. Utf8(template[(at + 2)..])];
    }

    private static string Report(string spoiled, string? value = null)
    {
        var values = new Dictionary<string, string>
        {
            ["platform"] = "facebook", ["url"] = "https://facebook.example/p/h1", ["text"] = "hostile text", ["kind"] = "post",
            ["externalId"] = "e1", ["title"] = "t", ["language"] = "en", ["author"] = "a", ["postedAt"] = "2026-11-28T10:00:00Z",
            ["reporter.name"] = "n", ["reporter.email"] = "n@ngo.example.org", ["reporter.organisation"] = "o",
        };
        values[spoiled] = value ?? (spoiled == "url" ? "https://facebook.example/p/@@" : spoiled == "postedAt" ? "2026-11-28T10:00:00Z@@" : "x@@y");
        var top = string.Join(",", values.Where(v => !v.Key.StartsWith("reporter.", StringComparison.Ordinal)).Select(v => $"\"{v.Key}\":\"{v.Value}\""));
        var reporter = string.Join(",", values.Where(v => v.Key.StartsWith("reporter.", StringComparison.Ordinal)).Select(v => $"\"{v.Key["reporter.".Length..]}\":\"{v.Value}\""));
        return "{" + top + ",\"reporter\":{" + reporter + "}}";
    }

    private static Dictionary<string, Case> Build()
    {
        var t = new Dictionary<string, Case>();
        const string reports = "/api/reports", decision = "/api/items/{item}/decision", status = "/api/referrals/{referral}/status", keys = "/api/keys";

        // Defect 1: invalid Unicode in any string of any JSON body is a 400 naming the field
        foreach (var (spoiler, bytes) in Spoilers)
        {
            foreach (var field in ReportFields)
            {
                t[$"report {field}: {spoiler}"] = new("POST", reports, Json, Spoil(Report(field), bytes), 400, field);
            }

            t[$"report in a batch: {spoiler}"] = new("POST", reports, Json, Spoil("[" + Report("text", "fine") + "," + Report("text") + "]", bytes), 400, "[1].text");
            t[$"report property name: {spoiler}"] = new("POST", reports, Json, Spoil("""{"platform":"x","url":"https://x.example/1","text":"t","no@@te":"x"}""", bytes), 400);
            foreach (var field in new[] { "decision", "category", "reason" })
            {
                var body = """{"decision":"confirm","category":"smuggling_service","reason":"r"}""".Replace($"\"{field}\":\"", $"\"{field}\":\"@@", StringComparison.Ordinal);
                t[$"decision {field}: {spoiler}"] = new("POST", decision, Json, Spoil(body, bytes), 400, field);
            }

            foreach (var field in new[] { "status", "at", "note" })
            {
                var body = """{"status":"removed","at":"2026-11-28T12:00:00Z","note":"n"}""".Replace($"\"{field}\":\"", $"\"{field}\":\"@@", StringComparison.Ordinal);
                t[$"status {field}: {spoiler}"] = new("POST", status, Json, Spoil(body, bytes), 400, field);
            }

            foreach (var field in new[] { "role", "platform" })
            {
                var body = """{"role":"platform","platform":"facebook"}""".Replace($"\"{field}\":\"", $"\"{field}\":\"@@", StringComparison.Ordinal);
                t[$"key {field}: {spoiler}"] = new("POST", keys, Json, Spoil(body, bytes), 400, field);
            }
        }

        // Defect 1: broken transport is 400, never an unhandled exception
        var head = $"POST {reports} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {ServiceFixture.AdminKey}\r\nContent-Type: application/json\r\n";
        t["chunk size zz"] = new("RAW", "", null, Utf8(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400, Raw: true);
        t["chunk size overflows"] = new("RAW", "", null, Utf8(head + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n{}\r\n0\r\n\r\n"), 400, Raw: true);
        t["chunk without its CRLF"] = new("RAW", "", null, Utf8(head + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n"), 400, Raw: true);
        t["content length not a number"] = new("RAW", "", null, Utf8(head + "Content-Length: 1x\r\n\r\n{}"), 400, Raw: true);
        t["content length and chunked"] = new("RAW", "", null, Utf8(head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400, Raw: true);

        // Defect 7: duplicate keys
        t["duplicate platform"] = new("POST", reports, Json, Utf8("""{"platform":"x","platform":"y","url":"https://x.example/d","text":"t"}"""), 400, "platform");
        t["duplicate text"] = new("POST", reports, Json, Utf8("""{"platform":"x","url":"https://x.example/d","text":"t","text":"u"}"""), 400, "text");
        t["duplicate url, escaped"] = new("POST", reports, Json, Utf8("""{"platform":"x","url":"https://x.example/d","\u0075rl":"https://y.example/"}"""), 400, "url");
        t["duplicate reporter email"] = new("POST", reports, Json, Utf8("""{"platform":"x","url":"https://x.example/d","text":"t","reporter":{"email":"a@b.example","email":"c@d.example"}}"""), 400, "reporter.email");
        t["duplicate in a batch"] = new("POST", reports, Json, Utf8("""[{"platform":"x","url":"https://x.example/d","text":"t"},{"platform":"x","url":"https://x.example/e","text":"t","kind":"post","kind":"job_ad"}]"""), 400, "[1].kind");
        t["duplicate decision"] = new("POST", decision, Json, Utf8("""{"decision":"reject","decision":"confirm","category":"smuggling_service","reason":"r"}"""), 400, "decision");
        t["duplicate category"] = new("POST", decision, Json, Utf8("""{"decision":"confirm","category":"smuggling_service","category":"document_fraud","reason":"r"}"""), 400, "category");
        t["duplicate status"] = new("POST", status, Json, Utf8("""{"status":"removed","status":"received"}"""), 400, "status");
        t["duplicate role"] = new("POST", keys, Json, Utf8("""{"role":"intake","role":"admin"}"""), 400, "role");

        // Defect 7: JSON endpoints take application/json only
        foreach (var (path, body) in new[] { (reports, Report("text", "fine")), (decision, """{"decision":"reject","reason":"r"}"""), (status, """{"status":"removed"}"""), (keys, """{"role":"intake"}""") })
        {
            foreach (var type in new string?[] { null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp" })
            {
                t[$"{path} as {type ?? "no type"}"] = new("POST", path, type, Utf8(body), 415);
            }
        }

        // Defect 7: URLs with control, bidi and zero-width characters, and credentials
        var badUrls = new Dictionary<string, string>
        {
            ["NUL"] = "https://x.example/a\\u0000b", ["SOH"] = "https://x.example/a\\u0001", ["US"] = "https://x.example/\\u001f", ["DEL"] = "https://x.example/a\\u007f",
            ["NEL"] = "https://x.example/a\\u0085", ["ESC"] = "https://x.example/\\u001b[31m", ["RLO"] = "https://x.example/\\u202egpj.exe",
            ["LRO"] = "https://x.example/\\u202dp", ["RLE"] = "https://x.example/\\u202bp", ["LRE"] = "https://x.example/\\u202ap", ["PDF"] = "https://x.example/p\\u202c",
            ["LRI"] = "https://x.example/\\u2066p", ["RLI"] = "https://x.example/\\u2067p", ["FSI"] = "https://x.example/\\u2068p", ["PDI"] = "https://x.example/p\\u2069",
            ["LRM"] = "https://x.example/p\\u200e", ["RLM"] = "https://x.example/p\\u200f", ["ALM"] = "https://x.example/p\\u061c",
            ["ZWSP"] = "https://x.exa\\u200bmple/p", ["BOM"] = "https://x.example/\\ufeffp", ["RLO in host"] = "https://x\\u202e.example/p",
            ["user and password"] = "https://user:pass@x.example/p", ["user"] = "https://user@x.example/p", ["password only"] = "https://:pass@x.example/p",
            ["credentials, escaped at"] = "https://user:pass\\u0040x.example/p",
        };
        foreach (var (name, url) in badUrls)
        {
            t[$"url with {name}"] = new("POST", reports, Json, Utf8($$"""{"platform":"x","url":"{{url}}","text":"t"}"""), 400, "url");
        }

        // Defect 7: text made only of invisible characters
        foreach (var (name, text) in new[] { ("ZWSP", "\\u200b"), ("ZWNJ ZWJ", "\\u200c\\u200d"), ("BOM", "\\ufeff"), ("word joiner", "\\u2060\\u2060"), ("spaces and ZWSP", " \\u200b \\u00a0"), ("soft hyphen", "\\u00ad"), ("Hangul filler", "\\u3164"), ("braille blank", "\\u2800"), ("RLO", "\\u202e") })
        {
            t[$"text only {name}"] = new("POST", reports, Json, Utf8($$"""{"platform":"x","url":"https://x.example/z","text":"{{text}}"}"""), 400, "text");
        }

        // Defect 7: query parameters and platform names in paths
        foreach (var path in new[] { "/api/review/queue", "/api/items", "/api/platforms/facebook/referrals" })
        {
            foreach (var limit in new[] { "5%00", "5abc", "%EF%BC%95", "+5", "5%20", "%205", "0x10", "1e2", "5.0", "-0", "99999999999", "5&limit=6" })
            {
                t[$"{path} limit={limit}"] = new("GET", $"{path}?limit={limit}", null, null, 400, "limit");
            }
        }

        foreach (var value in new[] { "removed%00", "Removed", "bogus", "pending%20", "%E2%80%AEremoved" })
        {
            t[$"referrals status={value}"] = new("GET", $"/api/platforms/facebook/referrals?status={value}", null, null, 400, "status");
        }

        foreach (var value in new[] { "IN_REVIEW", "dismissed%00" })
        {
            t[$"items status={value}"] = new("GET", $"/api/items?status={value}", null, null, 400, "status");
        }

        foreach (var value in new[] { "face%20book", "a%00b", "%E2%80%AEkoobecaf", new string('p', 65), "%3Cscript%3E", "a%2Fb", "face%0Abook" })
        {
            var field = value == "a%00b" ? null : "platform"; // Kestrel itself refuses a NUL in a path, before any endpoint
            t[$"export for platform {value}"] = new("POST", $"/api/platforms/{value}/exports", null, null, 400, field);
            t[$"exports of platform {value}"] = new("GET", $"/api/platforms/{value}/exports", null, null, 400, field);
            t[$"referrals of platform {value}"] = new("GET", $"/api/platforms/{value}/referrals", null, null, 400, field);
            t[$"items of platform {value}"] = new("GET", $"/api/items?platform={value}", null, null, 400, "platform");
        }

        // Issue 13: the webhook body, the delivery log, re-send, overdue referrals and the transparency report
        AddFollowUp(t);

        // bodies that are not objects
        foreach (var (method, path, name) in new[] { ("POST", decision, "decision"), ("POST", status, "status"), ("POST", keys, "keys"), ("PUT", Webhook, "webhook") })
        {
            t[$"{name} body null"] = new(method, path, Json, Utf8("null"), 400, "$");
            t[$"{name} body array"] = new(method, path, Json, Utf8("[]"), 400, "$");
            t[$"{name} body nested too deep"] = new(method, path, Json, Utf8(new string('[', 100) + new string(']', 100)), 400, "$");
            t[$"{name} body not JSON"] = new(method, path, Json, Utf8("{\"a\":"), 400, "$");
        }

        return t;
    }

    private const string Webhook = "/api/platforms/facebook/delivery";

    private static void AddFollowUp(Dictionary<string, Case> t)
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        foreach (var (spoiler, bytes) in Spoilers)
        {
            foreach (var field in new[] { "url", "secret" })
            {
                var body = $$"""{"url":"https://hooks.example/cw","secret":"{{secret}}"}""".Replace($"\"{field}\":\"", $"\"{field}\":\"@@", StringComparison.Ordinal);
                t[$"webhook {field}: {spoiler}"] = new("PUT", Webhook, Json, Spoil(body, bytes), 400, field);
            }
        }

        t["webhook duplicate url"] = new("PUT", Webhook, Json, Utf8($$"""{"url":"https://hooks.example/a","url":"http://127.0.0.1/","secret":"{{secret}}"}"""), 400, "url");
        t["webhook duplicate secret"] = new("PUT", Webhook, Json, Utf8($$"""{"url":"https://hooks.example/a","secret":"{{secret}}","secret":"x"}"""), 400, "secret");
        t["webhook url a number"] = new("PUT", Webhook, Json, Utf8($$"""{"url":5,"secret":"{{secret}}"}"""), 400, "url");
        t["webhook secret an object"] = new("PUT", Webhook, Json, Utf8("""{"url":"https://hooks.example/a","secret":{"a":1}}"""), 400, "secret");
        t["webhook without fields"] = new("PUT", Webhook, Json, Utf8("{}"), 400, "url");
        foreach (var type in new string?[] { null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            t[$"webhook as {type ?? "no type"}"] = new("PUT", Webhook, type, Utf8($$"""{"url":"https://hooks.example/a","secret":"{{secret}}"}"""), 415);
        }

        var badHooks = new Dictionary<string, string>
        {
            ["ftp"] = "ftp://hooks.example/a", ["file"] = "file:///etc/passwd", ["relative"] = "/hooks", ["javascript"] = "javascript:alert(1)",
            ["loopback"] = "http://127.0.0.1:8080/hook", ["loopback name"] = "http://localhost/hook", ["IPv6 loopback"] = "http://[::1]/hook",
            ["private 10"] = "http://10.0.0.5/hook", ["private 192.168"] = "https://192.168.1.1/hook", ["link-local metadata"] = "http://169.254.169.254/latest/meta-data",
            ["decimal loopback"] = "http://2130706433/hook", ["credentials"] = "https://user:pass@hooks.example/a", ["RLO"] = "https://hooks.example/\\u202egpj",
            ["NUL"] = "https://hooks.example/a\\u0000", ["too long"] = "https://hooks.example/" + new string('a', 2_100),
        };
        foreach (var (name, url) in badHooks)
        {
            t[$"webhook url {name}"] = new("PUT", Webhook, Json, Utf8($$"""{"url":"{{url}}","secret":"{{secret}}"}"""), 400, "url");
        }

        foreach (var (name, bad) in new[] { ("no prefix", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), ("not base64", "whsec_!!!!"), ("too short", "whsec_c2hvcnQ="), ("empty", "whsec_") })
        {
            t[$"webhook secret {name}"] = new("PUT", Webhook, Json, Utf8($$"""{"url":"https://hooks.example/a","secret":"{{bad}}"}"""), 400, "secret");
        }

        foreach (var value in new[] { "face%20book", "%E2%80%AEkoobecaf", new string('p', 65), "%3Cscript%3E", "face%0Abook" })
        {
            t[$"webhook of platform {value}"] = new("PUT", $"/api/platforms/{value}/delivery", Json, Utf8($$"""{"url":"https://hooks.example/a","secret":"{{secret}}"}"""), 400, "platform");
            t[$"deliveries of platform {value}"] = new("GET", $"/api/platforms/{value}/deliveries", null, null, 400, "platform");
            t[$"re-send for platform {value}"] = new("POST", $"/api/platforms/{value}/deliveries/d1/resend", null, null, 400, "platform");
            t[$"overdue of platform {value}"] = new("GET", $"/api/referrals/overdue?platform={value}", null, null, 400, "platform");
        }

        foreach (var limit in new[] { "5%00", "+5", "0", "501", "1e2" })
        {
            t[$"deliveries limit={limit}"] = new("GET", $"/api/platforms/facebook/deliveries?limit={limit}", null, null, 400, "limit");
        }

        t["status at with a trailing NUL"] = new("POST", "/api/referrals/{referral}/status", Json, Utf8("""{"status":"removed","at":"2026-11-28T12:00:00Z\u0000"}"""), 400, "at");
        t["re-send of no delivery"] = new("POST", "/api/platforms/facebook/deliveries/no-such-delivery/resend", null, null, 404);
        t["evidence of no referral"] = new("GET", "/api/referrals/no-such-referral/evidence", null, null, 404);
        t["export format pdf"] = new("GET", "/api/platforms/facebook/exports/x?format=pdf", null, null, 400, "format");
        foreach (var (name, query, field) in new[]
        {
            ("from not a date", "from=yesterday", "from"), ("to not a date", "to=2026-13-45", "to"), ("from after to", "from=2027-01-01&to=2026-01-01", "from"),
            ("from with NUL", "from=2026-01-01%00", "from"), ("format pdf", "format=pdf", "format"), ("format with RLO", "format=%E2%80%AEjson", "format"),
        })
        {
            t[$"transparency {name}"] = new("GET", $"/api/reports/transparency?{query}", null, null, 400, field);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Hostile_request_is_refused_naming_its_field_and_stores_nothing(string name)
    {
        var c = Table[name];
        var before = await service.CountRowsAsync();
        var errorsBefore = service.Errors.Entries.Count;
        var target = c.Target.Replace("{item}", service.ItemId, StringComparison.Ordinal).Replace("{referral}", service.ReferralId, StringComparison.Ordinal);
        var bytes = c.Raw ? c.Body! : RawHttp.Request(c.Method, target, c.Key, c.ContentType, c.Body);
        var answer = await RawHttp.SendAsync(service.BaseAddress, bytes);

        Assert.True(answer.Status == c.Status,
            $"{name}: answered {answer.Status}, expected {c.Status}\n{answer.Head}\n{answer.Body}\n{string.Join("\n", service.Errors.Entries.Skip(errorsBefore))}");
        if (c.Field is not null)
        {
            Assert.Equal("application/problem+json", answer.Header("Content-Type")?.Split(';')[0]);
            var errors = JsonNode.Parse(answer.Body)!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(c.Field), $"{name}: errors should name '{c.Field}': {answer.Body}");
        }

        Assert.Equal(before, await service.CountRowsAsync());
        Assert.Equal(errorsBefore, service.Errors.Entries.Count);
    }

    [Fact]
    public void The_table_holds_at_least_150_requests() => Assert.True(Table.Count >= 150, $"{Table.Count} requests");
}

/// <summary>Broken transport: a body cut short or trickling in is refused with 400 or 408, and nothing is logged as unhandled.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class BrokenTransportTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static string Head(string framing) =>
        $"POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {ServiceFixture.AdminKey}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n";

    /// <summary>The client closes its side mid-body: Kestrel ends the request; no answer is owed, and nothing is logged as an error.</summary>
    [Theory]
    [InlineData("Content-Length: 100", """{"platform":"x",""")]
    [InlineData("Transfer-Encoding: chunked", "2\r\n{}\r\n")]
    [InlineData("Transfer-Encoding: chunked", "10\r\n{\"platform\":")]
    public async Task Body_cut_short_by_the_client_closing_is_refused_and_no_unhandled_exception_is_logged(string framing, string body)
    {
        var errorsBefore = service.Errors.Entries.Count;
        var answer = await RawHttp.SendAsync(service.BaseAddress, Encoding.ASCII.GetBytes(Head(framing) + body), halfClose: true);
        Assert.True(answer.Status is 0 or 400, $"{answer.Status}\n{answer.Head}\n{answer.Body}");
        await Task.Delay(200); // the log is written after the answer
        Assert.Equal([], service.Errors.Entries.Skip(errorsBefore));
    }

    /// <summary>A body shorter than its Content-Length, or without its last chunk, on a connection left open: 408 once the minimum data rate's grace runs out.</summary>
    [Theory]
    [InlineData("Content-Length: 100", """{"platform":"x",""")]
    [InlineData("Transfer-Encoding: chunked", "2\r\n{}\r\n")]
    public async Task Body_that_stops_short_is_408_and_no_unhandled_exception_is_logged(string framing, string body)
    {
        var errorsBefore = service.Errors.Entries.Count;
        var answer = await RawHttp.SendAsync(service.BaseAddress, Encoding.ASCII.GetBytes(Head(framing) + body));
        Assert.True(answer.Status == 408, $"{answer.Status}\n{answer.Head}\n{answer.Body}");
        await Task.Delay(200);
        Assert.Equal([], service.Errors.Entries.Skip(errorsBefore));
    }

    [Fact]
    public async Task Body_sent_at_one_byte_a_second_is_408_and_no_unhandled_exception_is_logged()
    {
        var errorsBefore = service.Errors.Entries.Count;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = tcp.GetStream();
        var body = """{"platform":"x","url":"https://x.example/slow","text":"slow"}""";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head($"Content-Length: {body.Length}")));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = RawHttp.ReadAnswerAsync(stream, deadline.Token);
        foreach (var b in Encoding.ASCII.GetBytes(body))
        {
            if (answer.IsCompleted)
            {
                break;
            }

            try
            {
                await stream.WriteAsync(new[] { b }, deadline.Token);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(answer, Task.Delay(1000, deadline.Token));
        }

        var result = await answer;
        Assert.True(result.Status == 408, $"{result.Status}\n{result.Head}\n{result.Body}");
        await Task.Delay(200);
        Assert.Equal([], service.Errors.Entries.Skip(errorsBefore));
    }
}

/// <summary>Security headers on every desk answer, redirects included; no echo of a forged Host; no Server header.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class ResponseHeaderTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Desk_redirect_to_sign_in_carries_the_security_headers()
    {
        var answer = await RawHttp.SendAsync(service.BaseAddress, RawHttp.Request("GET", "/desk/queue", null, null, null));
        Assert.Equal(302, answer.Status);
        Assert.Equal(Desk.DeskRegistration.ContentSecurityPolicy, answer.Header("Content-Security-Policy"));
        Assert.Equal("DENY", answer.Header("X-Frame-Options"));
        Assert.Equal("no-referrer", answer.Header("Referrer-Policy"));
        Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("/desk/queue")]
    [InlineData("/desk")]
    [InlineData("/api/review/queue")]
    public async Task A_forged_host_is_refused_and_never_echoed(string path)
    {
        var answer = await RawHttp.SendAsync(service.BaseAddress, RawHttp.Request("GET", path, null, null, null, host: "evil.example"));
        Assert.Equal(400, answer.Status);
        Assert.DoesNotContain("evil.example", answer.Head + answer.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/desk/queue")]
    [InlineData("/api/review/queue")]
    public async Task No_answer_names_the_server(string path)
    {
        var answer = await RawHttp.SendAsync(service.BaseAddress, RawHttp.Request("GET", path, ServiceFixture.AdminKey, null, null));
        Assert.Null(answer.Header("Server"));
    }
}
