namespace Drover.Micro;

/// <summary>Realistic inputs: a Procfile and a .env of the size a real app has.</summary>
internal static class Inputs
{
    public const string Procfile = """
        # Procfile for the storefront: one line per process type.
        web: bundle exec puma -C config/puma.rb -p $PORT
        worker: bundle exec sidekiq -C config/sidekiq.yml -q default -q mailers
        clock: bundle exec clockwork lib/clock.rb

        # front-end and services
        assets: bin/webpack-dev-server --host 0.0.0.0 --port 3035
        release: bin/rails db:migrate && bin/rails cache:clear
        api: node services/api/server.js --port=$PORT --log-level=info
        metrics: ./bin/statsd-exporter --statsd.listen-udp=:9125 --web.listen-address=:$PORT
        mailer: python -m mailer.worker --concurrency 4
        search-indexer: java -Xmx512m -jar indexer.jar --queue=search
        log_shipper:   vector --config config/vector.toml

        """;

    public const string DotEnv = """
        # Application settings for development. Copy to .env.local to override.
        export RAILS_ENV=development
        RACK_ENV=development
        APP_NAME=storefront
        APP_HOST=localhost
        APP_URL=http://${APP_HOST}:5000
        SECRET_KEY_BASE=3b0c7e4f1d2a9e8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b
        DATABASE_URL=postgres://store:store@localhost:5432/store_dev
        DATABASE_POOL=10
        REDIS_URL=redis://localhost:6379/0
        SIDEKIQ_CONCURRENCY=5   # threads per worker
        CACHE_TTL=300
        LOG_LEVEL=debug
        LOG_FORMAT='%t [%p] %m'
        GREETING="Hello, $APP_NAME!\nWelcome back."
        MAIL_FROM="Storefront <no-reply@${APP_HOST}>"
        SMTP_HOST=smtp.example.test
        SMTP_PORT=587
        SMTP_USER=mailer
        SMTP_PASSWORD='p@ss w0rd #not-a-comment'
        S3_BUCKET=storefront-dev-assets
        S3_REGION=eu-central-1
        CDN_URL=https://cdn.example.test/${S3_BUCKET}
        FEATURE_FLAGS=checkout_v2,search_suggest,wishlist
        PAYMENT_PROVIDER=stripe
        STRIPE_PUBLIC_KEY=pk_test_51H8xYZabcdefghijklmnopqrstuvwxyz
        STRIPE_SECRET_KEY=sk_test_51H8xYZabcdefghijklmnopqrstuvwxyz
        WEBPACK_DEV_SERVER_HOST=0.0.0.0
        NODE_OPTIONS=--max-old-space-size=2048
        JAVA_OPTS="-Xms256m -Xmx512m -Dfile.encoding=UTF-8"
        PRIVATE_KEY="-----BEGIN KEY-----
        MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
        KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm
        -----END KEY-----"
        TZ=UTC
        PATH_EXTRA=$HOME/bin:$PATH

        """;

    /// <summary>The OS environment the parser falls back to for variables the file does not define.</summary>
    public static string? Lookup(string name) => name switch
    {
        "HOME" => "/home/app",
        "PATH" => "/usr/local/bin:/usr/bin:/bin",
        _ => null,
    };
}
