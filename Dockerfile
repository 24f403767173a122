# Build-and-test image for RealtimeHead (the runtime image of the live server arrives with it).
#   docker build -t realtimehead-build .
# The .NET 10 SDK image is Debian 12 based, so setup.sh installs the same packages as on a developer machine.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN ./setup.sh deps && ./setup.sh build
CMD ["./setup.sh", "test"]
