namespace RealtimeHead.Server.Tests.EndToEnd;

/// <summary>
/// A fact that needs headless Chromium, espeak-ng, sox and the web client (built, or buildable with npm). Skipped with
/// the reason when one is missing (xunit 2 decides skips when it discovers the test, hence the attribute).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute()
    {
        if (LiveServerFixture.MissingPrerequisite() is { } missing)
        {
            Skip = missing;
        }
    }
}
