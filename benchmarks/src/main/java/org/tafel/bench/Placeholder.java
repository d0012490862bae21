package org.tafel.bench;

final class Placeholder {}
