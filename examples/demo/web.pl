#!/usr/bin/perl
# A tiny HTTP server on $PORT using only perl-base (present on every Debian machine).
use strict;
use warnings;
use IO::Socket::INET;

$| = 1;    # line-buffered output, so Drover shows each line at once
my $port = $ENV{PORT} or die "PORT is not set\n";
my $server = IO::Socket::INET->new(
    LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 16, ReuseAddr => 1,
) or die "cannot listen on $port: $!\n";
print "listening on http://127.0.0.1:$port/\n";
$SIG{TERM} = sub { print "got SIGTERM, bye\n"; exit 0 };

while (my $client = $server->accept) {
    my $request = <$client> // '';
    $request =~ s/\r?\n$//;
    while (my $header = <$client>) { last if $header =~ /^\r?\n$/; }
    my $body = "$ENV{GREETING} ($ENV{PS}, pid $$)\n";
    print $client "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " . length($body) . "\r\n\r\n$body";
    close $client;
    print "$request -> 200\n";
}
