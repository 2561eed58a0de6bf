package dev.jetpack.it;

public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello from an image");
    }
}
