"""tradecoop.gravity"""
