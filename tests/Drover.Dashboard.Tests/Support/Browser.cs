using Microsoft.Playwright;

namespace Drover.Dashboard.Tests.Support;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by scripts/test.sh), headless, driven by Playwright, with a
/// fresh profile folder per browser. Playwright never downloads a browser here.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>How long any wait in the page may take: generous, for a loaded 2-core machine.</summary>
    public const float PatienceMs = 30_000;

    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private Browser(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
    }

    /// <summary>The browser's tab.</summary>
    public IPage Page { get; }

    /// <summary>Starts Chromium.</summary>
    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: scripts/test.sh installs Debian's chromium package");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(PatienceMs);
        var playwright = await Playwright.CreateAsync();
        string profile = Directory.CreateTempSubdirectory("drover-dashboard-chromium-").FullName;
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
                ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
                Timeout = PatienceMs * 2,
            });
            context.SetDefaultTimeout(PatienceMs);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new Browser(playwright, context, page, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Saves a screenshot of the page as a test artifact (in the test output folder); returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover profile must not fail a test.
        }
    }
}
