using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ContentWatch.Core.Access;
using ContentWatch.Web.Desk;
using ContentWatch.Web.Desk.Pages;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Desk.Tests;

/// <summary>
/// The real service over HTTPS (a self-signed certificate) with its log captured, driven by plain HTTP clients. Each
/// test signs in from its own loopback address (127.0.0.N), so the per-address sign-in limit of one does not touch another.
/// </summary>
public sealed class DeskHttpsFixture : IAsyncLifetime
{
    public const string Password = "desk-password-123";
    public const int SignInsPerMinute = 6;

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "contentwatch-desk-https", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<string> Log { get; } = new();

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        using var certificate = SelfSigned();
        var pfx = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        _app = ContentWatchApp.Build(
            [
                "--Storage:DataDirectory=" + DataDirectory,
                "--Classification:ModelPath=" + RepoPaths.Model,
                "--Export:Cron=0 0 1 1 *",
                "--Workers:SweepCron=0 0 1 1 *",
                "--Desk:SignInsPerAddressPerMinute=" + SignInsPerMinute,
                "--CONTENTWATCH_BOOTSTRAP_ADMIN_KEY=cw_https_test_admin_key_0123456789",
                "--Logging:LogLevel:Default=Information",
                "--Logging:LogLevel:Microsoft=Warning",
                "--Logging:LogLevel:Hangfire=Warning",
            ],
            builder =>
            {
                builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(pfx)));
                builder.Logging.AddProvider(new QueueLoggerProvider(Log));
            });
        await ContentWatchApp.PrepareAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var users = Services.GetRequiredService<UserService>();
        foreach (var name in new[] { "signout", "locked", "logged", "same", "limited", "secure" })
        {
            await users.CreateAsync(name, Roles.Officer, Password, CancellationToken.None);
        }

        await users.CreateAsync("admin", Roles.Admin, Password, CancellationToken.None);
    }

    /// <summary>A client whose connections come from 127.0.0.<paramref name="host"/>, keeping cookies in <paramref name="cookies"/>.</summary>
    public HttpClient Client(int host, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{host}"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>Posts the sign-in form with its antiforgery token, as a browser does.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password, string? returnUrl = null)
    {
        var form = await client.GetStringAsync("/desk/sign-in");
        var token = Regex.Match(form, "name=\"__cw_af\" type=\"hidden\" value=\"([^\"]+)\"|name=\"__cw_af\" value=\"([^\"]+)\"");
        Assert.True(token.Success, "no antiforgery token on the sign-in page");
        return await client.PostAsync("/desk/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
            ["returnUrl"] = returnUrl ?? "/desk/queue",
            ["__cw_af"] = token.Groups[1].Success ? token.Groups[1].Value : token.Groups[2].Value,
        }));
    }

    /// <summary>Runs <c>contentwatch ARGS</c> on this service's database, <paramref name="stdin"/> as its input.</summary>
    public async Task<int> CliAsync(string? stdin, params string[] args)
    {
        var (exit, output, error) = await CliProcess.RunAsync(DataDirectory, stdin, [.. args, "--data-dir", DataDirectory]);
        Assert.True(exit == 0, error + output);
        return exit;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(log);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}

/// <summary>Desk sessions, sign-in limits and the sign-in log, over HTTPS.</summary>
public sealed class DeskSessionTests(DeskHttpsFixture service) : IClassFixture<DeskHttpsFixture>
{
    [Fact]
    public async Task OldCookie_IsRefused_AfterSignOut()
    {
        var cookies = new CookieContainer();
        using var browser = service.Client(11, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await DeskHttpsFixture.SignInAsync(browser, "signout", DeskHttpsFixture.Password)).StatusCode);
        var session = cookies.GetCookies(service.BaseAddress)[DeskAccess.CookieName]!.Value;
        var queue = await browser.GetStringAsync("/desk/queue");
        var token = Regex.Match(queue, "name=\"__cw_af\" type=\"hidden\" value=\"([^\"]+)\"|name=\"__cw_af\" value=\"([^\"]+)\"");

        var signOut = await browser.PostAsync("/desk/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__cw_af"] = token.Groups[1].Success ? token.Groups[1].Value : token.Groups[2].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Contains("/desk/sign-in?returnUrl=", (await WithCookieAsync(12, session)).Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldCookie_IsRefused_AfterUsersLock_AndAfterAPasswordReset()
    {
        var cookies = new CookieContainer();
        using var browser = service.Client(21, cookies);
        await DeskHttpsFixture.SignInAsync(browser, "locked", DeskHttpsFixture.Password);
        var session = cookies.GetCookies(service.BaseAddress)[DeskAccess.CookieName]!.Value;
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(22, session)).StatusCode);

        await service.CliAsync(null, "users", "lock", "--username", "locked");
        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(22, session)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeskHttpsFixture.SignInAsync(service.Client(23), "locked", DeskHttpsFixture.Password)).StatusCode);

        await service.CliAsync(null, "users", "unlock", "--username", "locked");
        var again = new CookieContainer();
        Assert.Equal(HttpStatusCode.Redirect, (await DeskHttpsFixture.SignInAsync(service.Client(24, again), "locked", DeskHttpsFixture.Password)).StatusCode);
        session = again.GetCookies(service.BaseAddress)[DeskAccess.CookieName]!.Value;

        await service.CliAsync("a brand new password", "users", "reset-password", "--username", "locked");
        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(22, session)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeskHttpsFixture.SignInAsync(service.Client(25), "locked", DeskHttpsFixture.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await DeskHttpsFixture.SignInAsync(service.Client(25), "locked", "a brand new password")).StatusCode);
    }

    [Fact]
    public async Task SessionAndAntiforgeryCookies_AreSecure_OverHttps()
    {
        using var browser = service.Client(31);
        var form = await browser.GetAsync("/desk/sign-in");
        var signIn = await DeskHttpsFixture.SignInAsync(browser, "secure", DeskHttpsFixture.Password);

        var set = form.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(set, c => c.StartsWith("cw_desk_af=", StringComparison.Ordinal));
        Assert.Contains(set, c => c.StartsWith(DeskAccess.CookieName + "=", StringComparison.Ordinal));
        Assert.All(set, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FailedSignIns_AndTheLockOut_AreLogged_WithTheNameAndTheAddress()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await DeskHttpsFixture.SignInAsync(service.Client(41), "logged", "wrong password " + i)).StatusCode);
        }

        await DeskHttpsFixture.SignInAsync(service.Client(42), "no-such-user", "wrong password");

        var log = service.Log.ToList();
        Assert.Contains(log, l => l.StartsWith("Warning: Desk sign-in refused for logged from 127.0.0.41", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("Warning: Desk account logged locked for 15 minutes after 5 failed sign-ins; the last from 127.0.0.41", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("Warning: Desk sign-in refused for no-such-user from 127.0.0.42", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("wrong password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LockedAccount_AndUnknownName_GetTheSameAnswer()
    {
        for (var i = 0; i < 5; i++)
        {
            await DeskHttpsFixture.SignInAsync(service.Client(51), "same", "wrong password " + i);
        }

        var locked = await DeskHttpsFixture.SignInAsync(service.Client(52), "same", DeskHttpsFixture.Password);
        var unknown = await DeskHttpsFixture.SignInAsync(service.Client(53), "nobody-at-all", DeskHttpsFixture.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var (lockedPage, unknownPage) = (await locked.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Contains(System.Net.WebUtility.HtmlEncode(SignInModel.Refused), lockedPage, StringComparison.Ordinal);
        Assert.Equal(Alert(lockedPage), Alert(unknownPage));
    }

    private static string Alert(string page) => Regex.Match(page, "role=\"alert\">([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task SignInPosts_AreLimitedPerAddress()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= DeskHttpsFixture.SignInsPerMinute; i++)
        {
            answers.Add((await DeskHttpsFixture.SignInAsync(service.Client(61), "limited-" + i, "wrong password")).StatusCode);
        }

        Assert.All(answers.Take(DeskHttpsFixture.SignInsPerMinute), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeskHttpsFixture.SignInAsync(service.Client(62), "limited", "wrong password")).StatusCode);
        Assert.Contains(service.Log, l => l.StartsWith("Warning: Desk sign-in refused from 127.0.0.61: more than", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Root_GoesToTheDesk_AndHangfireSendsABrowserToSignIn()
    {
        using var browser = service.Client(71);
        Assert.Equal("/desk", (await browser.GetAsync("/")).Headers.Location!.OriginalString);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        Assert.Equal("/desk/sign-in?returnUrl=%2Fhangfire", (await browser.SendAsync(page)).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/hangfire")).StatusCode);

        var signIn = await DeskHttpsFixture.SignInAsync(browser, "admin", DeskHttpsFixture.Password, "/hangfire");
        Assert.Equal("/hangfire", signIn.Headers.Location!.OriginalString);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        again.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(again)).StatusCode);
    }

    [Fact]
    public void StartUpLog_SaysWhereTheDeskIs_HowToMakeAnAccount_AndWhetherABootstrapKeyIsSet()
    {
        var log = service.Log.ToList();
        Assert.Contains($"Information: Review desk: {service.BaseAddress.ToString().TrimEnd('/')}/desk", log);
        Assert.Contains(log, l => l.Contains("scripts/contentwatch users add --username NAME --role admin", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("Information: Bootstrap admin key set from CONTENTWATCH_BOOTSTRAP_ADMIN_KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("cw_https_test_admin_key", StringComparison.Ordinal));
    }

    /// <summary>GET /desk/queue from 127.0.0.<paramref name="host"/> with only the given desk cookie.</summary>
    private async Task<HttpResponseMessage> WithCookieAsync(int host, string session)
    {
        var cookies = new CookieContainer();
        cookies.Add(service.BaseAddress, new Cookie(DeskAccess.CookieName, session));
        using var client = service.Client(host, cookies);
        return await client.GetAsync("/desk/queue");
    }
}
