using Microsoft.Extensions.Logging;

namespace RealtimeHead.Server.Web;

// Log events of the web client's pages (5xxx).
public static partial class WebClientEndpoints
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "No built web client found (looked in {Searched}): the pages / and /kiosk are not served. Run 'npm ci && npm run build' in web/ (or ./setup.sh build), or set RealtimeHead:Web:Root.")]
        public static partial void NoWebClient(ILogger logger, string searched);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Serving the web client from {Root}")]
        public static partial void Serving(ILogger logger, string root);
    }
}
