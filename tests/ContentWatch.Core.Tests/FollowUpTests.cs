using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Outbound;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Tests;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_matches_the_StandardWebhooks_library_and_the_header_verifies_with_it()
    {
        var secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        Assert.True(WebhookSignature.TryParseSecret(secret, out var key));
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        const string body = """{"id":"e1","notices":[{"url":"https://x.example/é"}]}""";

        Assert.Equal(new StandardWebhook(secret).Sign("msg_1", at, body), WebhookSignature.Sign("msg_1", at.ToUnixTimeSeconds(), body, key));

        // a rotated-out key signs beside the new one; the library accepts the header with the new key alone
        var headers = WebhookSignature.Headers("msg_1", DateTimeOffset.UtcNow, body, [key, new byte[32]]);
        var dictionary = new Microsoft.AspNetCore.Http.HeaderDictionary(headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));
        new StandardWebhook(secret).Verify(body, dictionary);
        Assert.Equal(2, headers[WebhookSignature.SignatureHeader].Split(' ').Length);
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(secret).Verify(body + " ", dictionary));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAA==")] // 16 bytes: too short
    public void TryParseSecret_refuses_what_is_not_a_Standard_Webhooks_secret(string? secret) =>
        Assert.False(WebhookSignature.TryParseSecret(secret, out _));

    [Fact]
    public void RetryDelay_doubles_from_the_base_up_to_the_cap_with_up_to_half_again_of_jitter()
    {
        var options = new DeliveryOptions { RetryBaseSeconds = 30, MaxRetryDelaySeconds = 3_600 };

        Assert.Equal(TimeSpan.FromSeconds(30), DeliveryService.RetryDelay(1, options, 0));
        Assert.Equal(TimeSpan.FromSeconds(45), DeliveryService.RetryDelay(1, options, 1));
        Assert.Equal(TimeSpan.FromSeconds(240), DeliveryService.RetryDelay(4, options, 0));
        Assert.Equal(TimeSpan.FromSeconds(3_600), DeliveryService.RetryDelay(20, options, 0));
        // attempts for 24 hours: the retries alone, at their shortest, take more than a day before the cap-limited tail ends
        var day = Enumerable.Range(1, 30).Select(a => DeliveryService.RetryDelay(a, options, 0)).Aggregate(TimeSpan.Zero, (x, y) => x + y);
        Assert.True(day > TimeSpan.FromHours(24));
    }
}

public sealed class OutboundHttpTests
{
    private static OutboundHttp Client(bool allowPrivate = false, params string[] allowed) =>
        new(Options.Create(new OutboundOptions { AllowPrivateNetworks = allowPrivate, AllowedNetworks = [.. allowed], TimeoutSeconds = 5, MaxResponseBytes = 1_024 }));

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2a00:1450:4001:82a::200e", true)]
    public void Only_public_addresses_are_allowed_by_default(string address, bool allowed) =>
        Assert.Equal(allowed, new OutboundAddressPolicy(new OutboundOptions()).IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public async Task Loopback_is_refused_before_connecting_unless_allowed()
    {
        using var server = new LocalHttp(_ => (200, "", "hello"));
        using var strict = Client();
        await Assert.ThrowsAsync<OutboundRefusedException>(() => strict.SendAsync(HttpMethod.Get, server.Url("/"), null, null, CancellationToken.None));
        Assert.Equal(0, server.Requests);

        using var open = Client(allowPrivate: true);
        var response = await open.SendAsync(HttpMethod.Get, server.Url("/"), null, null, CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("hello", Encoding.UTF8.GetString(response.Body));
        Assert.Contains("ContentWatch", server.LastUserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_redirect_is_checked_again_and_at_most_three_are_followed()
    {
        using var server = new LocalHttp(path => path switch
        {
            "/hop/3" => (200, "", "arrived"),
            var p when p.StartsWith("/hop/", StringComparison.Ordinal) => (302, "/hop/" + (int.Parse(p[5..], System.Globalization.CultureInfo.InvariantCulture) + 1), ""),
            "/loop" => (302, "/loop", ""),
            "/elsewhere" => (302, "http://127.0.0.2:1/", ""),
            "/ftp" => (302, "ftp://127.0.0.1/x", ""),
            _ => (404, "", ""),
        });
        using var client = Client(false, "127.0.0.1/32");

        Assert.Equal("arrived", Encoding.UTF8.GetString((await client.SendAsync(HttpMethod.Get, server.Url("/hop/0"), null, null, CancellationToken.None)).Body));
        var tooMany = await Assert.ThrowsAsync<OutboundRefusedException>(() => client.SendAsync(HttpMethod.Get, server.Url("/loop"), null, null, CancellationToken.None));
        Assert.Contains("redirects", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal(8, server.Requests); // four for /hop/0 to /hop/3, then /loop and its three redirects
        await Assert.ThrowsAsync<OutboundRefusedException>(() => client.SendAsync(HttpMethod.Get, server.Url("/elsewhere"), null, null, CancellationToken.None));
        await Assert.ThrowsAsync<OutboundRefusedException>(() => client.SendAsync(HttpMethod.Get, server.Url("/ftp"), null, null, CancellationToken.None));
    }

    [Fact]
    public async Task An_answer_is_read_only_up_to_the_size_limit()
    {
        using var server = new LocalHttp(_ => (200, "", new string('x', 5_000)));
        using var client = Client(allowPrivate: true);
        var response = await client.SendAsync(HttpMethod.Get, server.Url("/"), null, null, CancellationToken.None);
        Assert.True(response.Truncated);
        Assert.Equal(1_024, response.Body.Length);
    }

    /// <summary>A minimal HTTP/1.1 server on 127.0.0.1: one answer per connection, from <c>answer(path)</c> = (status, Location, body).</summary>
    private sealed class LocalHttp : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _requests;

        public LocalHttp(Func<string, (int Status, string Location, string Body)> answer)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await using var stream = socket.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII);
                    var requestLine = await reader.ReadLineAsync() ?? "";
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
                    {
                        if (line.StartsWith("User-Agent:", StringComparison.OrdinalIgnoreCase))
                        {
                            LastUserAgent = line[11..].Trim();
                        }
                    }

                    Interlocked.Increment(ref _requests);
                    var (status, location, body) = answer(requestLine.Split(' ')[1]);
                    var bytes = Encoding.UTF8.GetBytes(body);
                    var head = $"HTTP/1.1 {status} X\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n" + (location.Length > 0 ? $"Location: {location}\r\n" : "") + "\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                    await stream.WriteAsync(bytes);
                }
            });
        }

        public int Requests => _requests;

        public string LastUserAgent { get; private set; } = "";

        public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}

public sealed class FollowUpFiguresTests
{
    [Theory]
    [InlineData(404, "gone")]
    [InlineData(410, "gone")]
    [InlineData(451, "gone")]
    [InlineData(200, "live")]
    [InlineData(204, "live")]
    [InlineData(403, "error")]
    [InlineData(503, "error")]
    public void Classify_counts_only_404_410_and_451_as_gone(int status, string state) => Assert.Equal(state, RecheckService.Classify(status));

    [Fact]
    public void Percentile_interpolates_between_ranks()
    {
        double[] hours = [1, 2, 3, 4, 10];
        Assert.Equal(3, TransparencyReportService.Percentile(hours, 0.5));
        Assert.Equal(7.6, TransparencyReportService.Percentile(hours, 0.9));
        Assert.Null(TransparencyReportService.Percentile([], 0.5));
    }

    [Fact]
    public void The_audit_hash_covers_every_field_and_the_previous_link()
    {
        var entry = new AuditEntry("d1", "i1", "key:k", new DateTimeOffset(2026, 12, 6, 10, 0, 0, 123, TimeSpan.Zero), "confirm", "smuggling_service",
            "Sells crossings.", "in_review", "smuggling_service", 0.91, "confirmed", "r1");
        var hash = AuditChain.Hash("abc", entry);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, AuditChain.Hash("abc", entry with { }));
        Assert.NotEqual(hash, AuditChain.Hash(null, entry));
        Assert.NotEqual(hash, AuditChain.Hash("abc", entry with { Reason = "Sells crossings!" }));
        Assert.NotEqual(hash, AuditChain.Hash("abc", entry with { ScoreBefore = 0.9100000001 }));
        Assert.NotEqual(hash, AuditChain.Hash("abc", entry with { At = entry.At.AddMilliseconds(1) }));
        Assert.NotEqual(hash, AuditChain.Hash("abc", entry with { ClusterId = "c1" }));
    }

    [Fact]
    public void The_watchlist_audit_hash_covers_every_field_and_the_previous_link()
    {
        var record = new ContentWatch.Core.Networks.WatchlistEvent("e1", "w1", "add", "officer-1", new DateTimeOffset(2026, 12, 6, 10, 0, 0, 123, TimeSpan.Zero), "Seen twice.");
        var hash = AuditChain.Hash("abc", record);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, AuditChain.Hash("abc", record with { }));
        string[] changed =
        [
            AuditChain.Hash(null, record), AuditChain.Hash("abd", record), AuditChain.Hash("abc", record with { Id = "e2" }),
            AuditChain.Hash("abc", record with { EntryId = "w2" }), AuditChain.Hash("abc", record with { Action = "remove" }),
            AuditChain.Hash("abc", record with { Actor = "officer-2" }), AuditChain.Hash("abc", record with { At = record.At.AddMilliseconds(1) }),
            AuditChain.Hash("abc", record with { Reason = null }), AuditChain.Hash("abc", record with { Reason = "Seen twice!" }),
        ];
        Assert.DoesNotContain(hash, changed);
        Assert.Equal(changed.Length, changed.Distinct().Count());
    }
}
